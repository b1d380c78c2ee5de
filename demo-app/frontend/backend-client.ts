// The frontend's server-side calls to the backend: a story's profile, and whether the backend can be reached.
export const backendTimeoutMs = 5000;

export interface StoryProfile {
  id: string;
  status: string;
  name?: string;
  age?: number;
  location?: string;
  language?: string;
  transcript?: string;
  reason?: string;
}

export type ProfileResult = { ok: true; profile: StoryProfile } | { ok: false; status?: number; reason: string };

export async function fetchProfile(apiUrl: URL, id: string): Promise<ProfileResult> {
  const url = new URL(`/api/story/${encodeURIComponent(id)}`, apiUrl);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(backendTimeoutMs) });
  } catch (error) {
    return { ok: false, reason: `the backend at ${url.origin} is unreachable (${describeFetchError(error, backendTimeoutMs)})` };
  }
  const body = parseJson(await response.text().catch(() => ''));
  if (response.status === 200 && typeof body?.id === 'string') return { ok: true, profile: body as unknown as StoryProfile };
  const detail = typeof body?.error === 'string' ? `: ${body.error}` : '';
  return { ok: false, status: response.status, reason: `the backend answered HTTP ${response.status}${detail}` };
}

/** Any HTTP answer from the backend's readiness path proves it can be reached; throws why not. */
export async function reachBackend(apiUrl: URL, healthPath: string, timeoutMs: number): Promise<number> {
  const url = new URL(healthPath, apiUrl);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    throw new Error(describeFetchError(error, timeoutMs));
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
