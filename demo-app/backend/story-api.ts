// HTTP routes of the demo backend: readiness, and the story API of docs/demo-app.md
// (POST /api/story/start, POST /api/story/:id/upload, GET /api/story/:id/status, GET /api/story/:id).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { DemoFaults } from '../shared/faults.ts';
import { buildReadiness, timedCheck } from '../shared/health.ts';
import { BodyTooLargeError, readBody, readBodyBytes, sendJson } from '../shared/http-io.ts';
import { sniffAudioFormat } from './audio-format.ts';
import { describePgError, type Database } from './database.ts';
import { parseStoryStart } from './story-input.ts';
import type { StoryStore } from './story-store.ts';
import type { TranscriptionJobs } from './transcription-jobs.ts';

export interface StoryApiOptions {
  db: Database;
  store: StoryStore;
  jobs: TranscriptionJobs;
  healthPath: string;
  version: string;
  releaseId?: string;
  maxAudioBytes: number;
  faults: DemoFaults;
  logPrefix: string;
}

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, x-preflight-test',
  'access-control-max-age': '600',
};
const maxJsonBytes = 16 * 1024;

class ApiError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

export function createStoryApi(options: StoryApiOptions): RequestListener {
  const { store, faults } = options;
  let storiesStarted = 0;

  async function startStory(request: IncomingMessage, response: ServerResponse): Promise<void> {
    storiesStarted += 1;
    if (faults.flakyOnce && storiesStarted === 1) throw new ApiError(500, 'fault flaky-once: the first story of this process fails');
    const parsed = parseStoryStart(await readBody(request, maxJsonBytes));
    if ('error' in parsed) throw new ApiError(400, parsed.error);
    const story = await store.create({ ...parsed.input, testData: request.headers['x-preflight-test'] === '1' });
    sendJson(response, 201, story, corsHeaders);
  }

  async function upload(id: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (faults.uploadRejected) {
      throw new ApiError(413, `fault upload-rejected: uploads are refused as too large (limit ${options.maxAudioBytes} bytes)`);
    }
    const story = await store.status(id);
    if (!story) throw new ApiError(404, `story ${id} not found: start one with POST /api/story/start`);
    const contentType = (request.headers['content-type'] ?? '').trim();
    if (!/^audio\//i.test(contentType)) throw new ApiError(415, `the upload must be audio (Content-Type audio/...), got ${JSON.stringify(contentType || '(none)')}`);
    const audio = await readBodyBytes(request, options.maxAudioBytes);
    if (audio.length === 0) throw new ApiError(400, 'the recording is empty (0 bytes): record something before creating the profile');
    if (!sniffAudioFormat(audio)) throw new ApiError(415, `the upload is not audio: its bytes are not a WebM, WAV, Ogg, FLAC, MP4 or MP3 recording`);
    if (story.status !== 'CREATED' || !(await store.attachAudio(id, audio, contentType))) {
      throw new ApiError(409, `story ${id} already has its recording (status ${story.status})`);
    }
    options.jobs.enqueue(id);
    sendJson(response, 202, { id, status: 'PROCESSING', audioBytes: audio.length }, corsHeaders);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const { pathname } = new URL(request.url ?? '/', 'http://demo.invalid');
    const isRead = method === 'GET' || method === 'HEAD';

    if (pathname === options.healthPath && isRead) {
      const database = await timedCheck(() => options.db.probe());
      const readiness = buildReadiness({ service: 'backend', version: options.version, releaseId: options.releaseId, checks: { database }, fault: faults.health });
      return sendJson(response, readiness.statusCode, readiness.body);
    }
    if (pathname.startsWith('/api/') && method === 'OPTIONS') {
      response.writeHead(204, corsHeaders);
      return void response.end();
    }
    if (pathname === '/api/story/start' && method === 'POST') return startStory(request, response);
    const match = /^\/api\/story\/([^/]+)(\/upload|\/status)?$/.exec(pathname);
    if (match) {
      const id = decodeURIComponent(match[1]!);
      if (match[2] === '/upload' && method === 'POST') return upload(id, request, response);
      if (isRead) {
        const found = match[2] === '/status' ? await store.status(id) : match[2] === undefined ? await store.profile(id) : undefined;
        if (found) return sendJson(response, 200, found, corsHeaders);
        if (match[2] !== '/upload') throw new ApiError(404, `story ${id} not found`);
      }
    }
    throw new ApiError(404, `no route for ${method} ${pathname}`);
  }

  return (request, response) => {
    route(request, response).catch((error: unknown) => {
      const headers = corsHeaders;
      // Answer at once, without reading the rest of a refused body: the client gets the status, not a reset.
      if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: error.message }, { ...headers, connection: 'close' });
      if (error instanceof ApiError) return sendJson(response, error.statusCode, { error: error.message }, error.statusCode === 413 ? { ...headers, connection: 'close' } : headers);
      console.error(`${options.logPrefix} ${request.method} ${request.url} failed: ${describePgError(error)}`);
      if (!response.headersSent) sendJson(response, 503, { error: `the story store is unavailable: ${describePgError(error)}` }, headers);
      else response.destroy();
    });
  };
}
