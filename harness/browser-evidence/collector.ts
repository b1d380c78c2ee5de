import type { BrowserContext, ConsoleMessage, Request, Response } from '@playwright/test';
import { MAX_ITEMS, type EvidenceItem, type EvidenceKind } from './evidence.ts';

/** Prefix of the console line the page-side script writes when the page was denied a permission. */
const PERMISSION_MARK = '[preflight:permission-denied]';

/**
 * Runs in every page before its own scripts: reports denied permission requests (microphone, camera, location,
 * notifications) on the console with PERMISSION_MARK, since Playwright has no event for them. Plain JavaScript in a
 * string: a transpiled function would carry the transpiler's helpers into the page.
 */
const REPORT_DENIED_PERMISSIONS = `(() => {
  const report = (what, why) => console.debug(${JSON.stringify(PERMISSION_MARK)} + ' ' + what + ': ' + why);
  const media = navigator.mediaDevices;
  if (media && media.getUserMedia) {
    const getUserMedia = media.getUserMedia.bind(media);
    media.getUserMedia = (constraints) => getUserMedia(constraints).catch((error) => {
      if (error && (error.name === 'NotAllowedError' || error.name === 'SecurityError')) {
        report('getUserMedia(' + Object.keys(constraints || {}).join('+') + ')', error.name + ': ' + error.message);
      }
      throw error;
    });
  }
  const geo = navigator.geolocation;
  if (geo) {
    for (const name of ['getCurrentPosition', 'watchPosition']) {
      const original = geo[name].bind(geo);
      geo[name] = (ok, fail, options) => original(ok, (error) => {
        if (error.code === error.PERMISSION_DENIED) report('geolocation.' + name, error.message || 'permission denied');
        if (fail) fail(error);
      }, options);
    }
  }
  if (typeof Notification !== 'undefined' && Notification.requestPermission) {
    const request = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = (callback) => request(callback).then((permission) => {
      if (permission === 'denied') report('Notification.requestPermission', 'denied');
      return permission;
    });
  }
})();`;

/** Collects what the browser of one spec saw that a person would call broken, for its own origins only. */
export class BrowserEvidenceCollector {
  readonly items: EvidenceItem[] = [];
  count = 0;
  private readonly origins: Set<string>;

  constructor(ownOrigins: Iterable<string>) {
    this.origins = new Set(ownOrigins);
  }

  private add(kind: EvidenceKind, text: string): void {
    this.count++;
    if (this.items.length < MAX_ITEMS) this.items.push({ kind, text: text.length > 500 ? `${text.slice(0, 500)}...` : text });
  }

  private isOwn(url: string): boolean {
    try {
      return this.origins.has(new URL(url).origin);
    } catch {
      return false;
    }
  }

  /** Listens on the whole context: popups and every page of the spec are covered. */
  async watch(context: BrowserContext): Promise<void> {
    context.on('console', (message: ConsoleMessage) => this.onConsole(message));
    context.on('weberror', (error) => this.add('page error', firstLine(error.error().message || String(error.error()))));
    context.on('response', (response: Response) => {
      if (response.status() >= 400 && this.isOwn(response.url())) {
        this.add('failed request', `${response.status()} ${response.request().method()} ${response.url()}`);
      }
    });
    context.on('requestfailed', (request: Request) => {
      const failure = request.failure()?.errorText ?? 'failed';
      // Aborted: the page navigated away or closed with the request in flight, which is no fault of the app.
      if (failure === 'net::ERR_ABORTED' || !this.isOwn(request.url())) return;
      this.add('failed request', `${failure} ${request.method()} ${request.url()}`);
    });
    await context.addInitScript({ content: REPORT_DENIED_PERMISSIONS });
  }

  private onConsole(message: ConsoleMessage): void {
    const type = message.type();
    if (type === 'error') {
      const { url, lineNumber } = message.location();
      // The browser's own line for a failed request is the request itself, counted once, above.
      if (/^Failed to load resource: /.test(message.text())) return;
      this.add('console error', `${firstLine(message.text())}${url ? ` (${url}:${lineNumber + 1})` : ''}`);
    } else if (type === 'debug' && message.text().startsWith(PERMISSION_MARK)) {
      this.add('permission denied', message.text().slice(PERMISSION_MARK.length).trim());
    }
  }
}

const firstLine = (text: string) => text.split('\n').find((line) => line.trim())?.trim() ?? text;
