// HTTP routes of the demo frontend: readiness, the home page, Tell Your Story (consent and recorder, driven in the
// browser by public/recorder.js against the backend's API) and /profile/:id.
import fs from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import qrcode from 'qrcode-generator';
import type { DemoFaults } from '../shared/faults.ts';
import { buildReadiness, timedCheck } from '../shared/health.ts';
import { sendHtml, sendJson } from '../shared/http-io.ts';
import { fetchProfile, reachBackend } from './backend-client.ts';
import { homePage, messagePage, profilePage, tellYourStoryPage } from './pages.ts';

export interface StoryPagesOptions {
  frontendUrl: URL;
  /** Where the backend is (PREFLIGHT_BACKEND_URL). */
  backendUrl: URL;
  /** Where this frontend calls the backend: the backend's URL, unless fault wrong-api-port moved it. */
  apiUrl: URL;
  /** Where the browser calls the backend (the same, unless a proxy stands between). */
  publicApiUrl: URL;
  /** The origin profile links and QR codes name. */
  publicUrl: URL;
  healthPath: string;
  version: string;
  releaseId?: string;
  faults: DemoFaults;
  logPrefix: string;
}

const recorderScript = fs.readFileSync(new URL('./public/recorder.js', import.meta.url));
const backendProbeTimeoutMs = 2000;

export function qrCodeSvg(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return qr.createSvgTag({ cellSize: 6, margin: 4, scalable: false });
}

export function createStoryPages(options: StoryPagesOptions): RequestListener {
  const apiDrift = options.apiUrl.origin === options.backendUrl.origin ? '' : ` (fault wrong-api-port: PREFLIGHT_BACKEND_URL says the backend is at ${options.backendUrl.origin})`;

  async function backendCheck(): Promise<string> {
    try {
      const status = await reachBackend(options.apiUrl, options.healthPath, backendProbeTimeoutMs);
      return `reached the backend at ${options.apiUrl.origin} (HTTP ${status})`;
    } catch (error) {
      throw new Error(`the frontend at ${options.frontendUrl.origin} cannot reach the backend it is configured to call at ${options.apiUrl.origin}${apiDrift}: ` +
        `${(error as Error).message}; start the backend there, or point PREFLIGHT_BACKEND_URL at the backend`);
    }
  }

  async function profile(id: string, response: ServerResponse): Promise<void> {
    const result = await fetchProfile(options.apiUrl, id);
    if (!result.ok) {
      const status = result.status === 404 ? 404 : 502;
      return sendHtml(response, status, messagePage(status === 404 ? 'Profile not found' : 'Profile unavailable', `No profile for ${id}: ${result.reason}`));
    }
    if (result.profile.status !== 'COMPLETED') {
      const why = result.profile.status === 'FAILED' ? `its transcription failed: ${result.profile.reason}` : `its transcription is ${result.profile.status}`;
      return sendHtml(response, 409, messagePage('Profile not ready', `This story has no profile yet: ${why}.`));
    }
    const publicUrl = new URL(`/profile/${encodeURIComponent(id)}`, options.publicUrl).href;
    sendHtml(response, 200, profilePage(result.profile, publicUrl, qrCodeSvg(publicUrl)));
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const { pathname } = new URL(request.url ?? '/', 'http://demo.invalid');
    if (method !== 'GET' && method !== 'HEAD') return sendHtml(response, 405, messagePage('Method not allowed', `${method} ${pathname} is not served here`));

    if (pathname === options.healthPath) {
      const backend = await timedCheck(backendCheck);
      const readiness = buildReadiness({ service: 'frontend', version: options.version, releaseId: options.releaseId, checks: { backend }, fault: options.faults.health });
      return sendJson(response, readiness.statusCode, readiness.body);
    }
    if (pathname === '/') return sendHtml(response, 200, homePage());
    if (pathname === '/tell-your-story') {
      // Fault mic-blocked: the header a misconfigured proxy or framework adds; getUserMedia then fails in every browser.
      if (options.faults.micBlocked) response.setHeader('permissions-policy', 'microphone=()');
      return sendHtml(response, 200, tellYourStoryPage(options.publicApiUrl.origin));
    }
    if (pathname === '/recorder.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-length': recorderScript.length, 'cache-control': 'no-store' });
      return void response.end(recorderScript);
    }
    const profileMatch = /^\/profile\/([^/]+)$/.exec(pathname);
    if (profileMatch) return profile(decodeURIComponent(profileMatch[1]!), response);
    sendHtml(response, 404, messagePage('Not found', `There is no page at ${pathname}.`));
  }

  return (request, response) => {
    route(request, response).catch((error: unknown) => {
      console.error(`${options.logPrefix} ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) sendHtml(response, 500, messagePage('Error', 'internal error in the frontend'));
      else response.destroy();
    });
  };
}
