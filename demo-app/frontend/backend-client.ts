// The frontend's server-side call to the backend's story API.

export const backendTimeoutMs = 5000;

export type SaveResult = { ok: true; id: string } | { ok: false; status?: number; reason: string };

export async function saveStory(
  backendUrl: URL,
  input: { name: string; story: string },
  forwardHeaders: Record<string, string>,
): Promise<SaveResult> {
  const url = new URL('/api/stories', backendUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...forwardHeaders },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(backendTimeoutMs),
    });
  } catch (error) {
    return { ok: false, reason: `the backend at ${url.origin} is unreachable (${describeFetchError(error)})` };
  }
  const text = await response.text().catch(() => '');
  const body = parseJson(text);
  if (response.status === 201 && typeof body?.id === 'string') return { ok: true, id: body.id };
  const detail = typeof body?.error === 'string' ? `: ${body.error}` : '';
  return { ok: false, status: response.status, reason: `the backend answered HTTP ${response.status}${detail}` };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${backendTimeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
