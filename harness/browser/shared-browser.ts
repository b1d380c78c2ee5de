// One Chromium for every worker of a run whose launches agree: the runner launches it while the services boot, and
// each worker connects to it instead of launching its own (docs/architecture.md, "One browser for the workers").
import { chromium, type LaunchOptions } from '@playwright/test';

/** How a worker would launch its browser: the fields that decide what Chromium runs. */
export interface BrowserLaunch {
  browserName: string;
  headless: boolean;
  channel?: string;
  launchOptions: LaunchOptions;
}

/** The shared browser as workers learn it from the boot channel. */
export interface SharedBrowserAddress {
  wsEndpoint: string;
  /** The launch it was made with (launchKey): a worker whose own launch differs launches its own browser. */
  key: string;
}

export interface SharedBrowser extends SharedBrowserAddress {
  close(): Promise<void>;
}

/** Two launches with the same key run the same browser: browser, headless, channel and every launch option. */
export function launchKey(launch: BrowserLaunch): string {
  return JSON.stringify({ browserName: launch.browserName, headless: launch.headless, channel: launch.channel ?? null, launchOptions: sortedKeys(launch.launchOptions) });
}

/**
 * Launches the browser the workers share. Its signals are the runner's to handle: a Ctrl+C or the harness's own
 * early stop must not close it under the workers; the gate's teardown closes it after them, and if the runner dies
 * the browser ends with it (its pipe to the runner closes).
 */
export async function launchSharedBrowser(launch: BrowserLaunch): Promise<SharedBrowser> {
  const server = await chromium.launchServer({
    ...launch.launchOptions,
    headless: launch.headless,
    ...(launch.channel ? { channel: launch.channel } : {}),
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // Past this the workers have stopped waiting for it and launched their own.
    timeout: 30_000,
  });
  return { wsEndpoint: server.wsEndpoint(), key: launchKey(launch), close: () => server.close() };
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}
