// HTTP routes of the demo backend: readiness, POST /api/stories, GET /api/stories/:id.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { DemoFaults } from '../shared/faults.ts';
import { buildReadiness, timedCheck } from '../shared/health.ts';
import { BodyTooLargeError, readBody, sendJson } from '../shared/http-io.ts';
import { parseStoryInput } from './story-input.ts';
import type { StoryStore } from './story-store.ts';

export interface StoryApiOptions {
  store: StoryStore;
  healthPath: string;
  version: string;
  releaseId?: string;
  faults: DemoFaults;
  logPrefix: string;
}

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-preflight-test',
  'access-control-max-age': '600',
};
const maxBodyBytes = 64 * 1024;

export function createStoryApi(options: StoryApiOptions): RequestListener {
  let storiesPosted = 0;

  async function postStory(request: IncomingMessage, response: ServerResponse): Promise<void> {
    storiesPosted += 1;
    if (options.faults.story500) {
      return sendJson(response, 500, { error: 'fault story-500: storage unavailable' }, corsHeaders);
    }
    if (options.faults.flakyOnce && storiesPosted === 1) {
      return sendJson(response, 500, { error: 'fault flaky-once: the first story of this process fails' }, corsHeaders);
    }
    const parsed = parseStoryInput(await readBody(request, maxBodyBytes));
    if ('error' in parsed) return sendJson(response, 400, { error: parsed.error }, corsHeaders);
    const testData = request.headers['x-preflight-test'] === '1';
    const story = await options.store.create({ ...parsed.input, testData });
    sendJson(response, 201, story, corsHeaders);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const { pathname } = new URL(request.url ?? '/', 'http://demo.invalid');

    if (pathname === options.healthPath && (method === 'GET' || method === 'HEAD')) {
      const storage = await timedCheck(() => options.store.probe());
      const readiness = buildReadiness({
        service: 'backend',
        version: options.version,
        releaseId: options.releaseId,
        checks: { storage },
        fault: options.faults.health,
      });
      return sendJson(response, readiness.statusCode, readiness.body);
    }
    if (pathname.startsWith('/api/') && method === 'OPTIONS') {
      response.writeHead(204, corsHeaders);
      return void response.end();
    }
    if (pathname === '/api/stories' && method === 'POST') return postStory(request, response);
    const storyMatch = /^\/api\/stories\/([^/]+)$/.exec(pathname);
    if (storyMatch && (method === 'GET' || method === 'HEAD')) {
      const id = decodeURIComponent(storyMatch[1]!);
      const story = options.store.get(id);
      if (story) return sendJson(response, 200, story, corsHeaders);
      return sendJson(response, 404, { error: `story ${id} not found` }, corsHeaders);
    }
    const headers = pathname.startsWith('/api/') ? corsHeaders : {};
    sendJson(response, 404, { error: `no route for ${method} ${pathname}` }, headers);
  }

  return (request, response) => {
    route(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: error.message }, corsHeaders);
      console.error(`${options.logPrefix} ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: `internal error: ${(error as Error).message ?? String(error)}` });
      else response.destroy();
    });
  };
}
