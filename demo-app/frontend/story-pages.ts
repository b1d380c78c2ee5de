// HTTP routes of the demo frontend: readiness, the home page and the Tell Your Story flow.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { DemoFaults } from '../shared/faults.ts';
import { buildReadiness, timedCheck } from '../shared/health.ts';
import { BodyTooLargeError, readBody, sendHtml, sendJson } from '../shared/http-io.ts';
import { saveStory } from './backend-client.ts';
import { homePage, notFoundPage, storyFormPage, thankYouPage } from './pages.ts';

export interface StoryPagesOptions {
  backendUrl: URL;
  healthPath: string;
  version: string;
  releaseId?: string;
  faults: DemoFaults;
  logPrefix: string;
}

const maxFormBytes = 64 * 1024;

export function createStoryPages(options: StoryPagesOptions): RequestListener {
  async function submitStory(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request, maxFormBytes));
    const name = form.get('name') ?? '';
    const story = form.get('story') ?? '';
    const testHeader = request.headers['x-preflight-test'];
    const forward: Record<string, string> = typeof testHeader === 'string' ? { 'x-preflight-test': testHeader } : {};
    const result = await saveStory(options.backendUrl, { name, story }, forward);
    if (result.ok) return sendHtml(response, 200, thankYouPage(result.id));
    // The backend judged the input invalid: the user can fix it, so show the form again rather than a gateway error.
    const status = result.status === 400 ? 400 : 502;
    console.error(`${options.logPrefix} POST /tell-your-story: ${result.reason}`);
    sendHtml(response, status, storyFormPage({ broken: options.faults.pageBroken, name, story, alert: result.reason }));
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const { pathname } = new URL(request.url ?? '/', 'http://demo.invalid');
    const isRead = method === 'GET' || method === 'HEAD';

    if (pathname === options.healthPath && isRead) {
      // Readiness says whether this process can serve its pages; it deliberately does not ask the backend.
      const render = await timedCheck(async () => `rendered ${homePage().length + storyFormPage().length} bytes of HTML`);
      const readiness = buildReadiness({
        service: 'frontend',
        version: options.version,
        releaseId: options.releaseId,
        checks: { render },
        fault: options.faults.health,
      });
      return sendJson(response, readiness.statusCode, readiness.body);
    }
    if (pathname === '/' && isRead) return sendHtml(response, 200, homePage());
    if (pathname === '/tell-your-story' && isRead) return sendHtml(response, 200, storyFormPage({ broken: options.faults.pageBroken }));
    if (pathname === '/tell-your-story' && method === 'POST') return submitStory(request, response);
    sendHtml(response, 404, notFoundPage(pathname));
  }

  return (request, response) => {
    route(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return sendHtml(response, 413, storyFormPage({ alert: error.message }));
      console.error(`${options.logPrefix} ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) sendHtml(response, 500, storyFormPage({ alert: 'internal error in the frontend' }));
      else response.destroy();
    });
  };
}
