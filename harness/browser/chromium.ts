import fs from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

/** Flags for a system Chromium on machines without Playwright's browser download (docs/design.md). */
export const SYSTEM_CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SYSTEM_CHROMIUM_PATH = '/usr/bin/chromium';
/**
 * Debian's `chromium-headless-shell`: Chromium's old headless shell, what Playwright itself runs for headless specs
 * when it downloads its own browsers. On the demo gate it costs a third of the full browser's CPU and 700 MB less
 * memory (docs/benchmark.md); headed runs (`--headed`) still take the full browser.
 */
export const SYSTEM_HEADLESS_SHELL_PATHS = [
  // The binary itself: Debian's /usr/bin wrapper runs it as a child of a shell, one process more for nothing.
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
];

export type BrowserChoice =
  | { kind: 'configured'; executablePath: string }
  | { kind: 'playwright'; executablePath: string }
  /** The system's Chromium; headless launches take its headless shell when it is installed too. */
  | { kind: 'system'; executablePath: string; headlessShellPath?: string }
  | { kind: 'missing'; problem: string };

/** PREFLIGHT_CHROMIUM_PATH if set; else Playwright's own Chromium if installed; else the system's. */
export function chooseChromium(configuredPath?: string): BrowserChoice {
  if (configuredPath) {
    if (isExecutable(configuredPath)) return { kind: 'configured', executablePath: configuredPath };
    return { kind: 'missing', problem: `PREFLIGHT_CHROMIUM_PATH=${configuredPath} is not an executable file. Point it at a Chromium binary, or unset it.` };
  }
  const own = playwrightChromiumPath();
  if (own && isExecutable(own)) return { kind: 'playwright', executablePath: own };
  const shell = SYSTEM_HEADLESS_SHELL_PATHS.find(isExecutable);
  if (isExecutable(SYSTEM_CHROMIUM_PATH)) return { kind: 'system', executablePath: SYSTEM_CHROMIUM_PATH, ...(shell ? { headlessShellPath: shell } : {}) };
  if (shell) return { kind: 'system', executablePath: shell, headlessShellPath: shell };
  return {
    kind: 'missing',
    problem:
      'No Chromium found. Run `npm run setup` (it installs one), or `npx playwright install chromium`, ' +
      'or on Debian/Ubuntu as root `apt-get install -y chromium`, or set PREFLIGHT_CHROMIUM_PATH to a Chromium binary.',
  };
}

/**
 * Switches of the gate's own browser, for any Chromium: the GPU thread runs in the browser process (with the GPU
 * off, its process only composites in software), one process less per browser, about 100 MB of a run's memory
 * (docs/benchmark.md). Feature lists (--enable-features, --disable-features) are left alone: Chromium keeps only
 * the last of each, so one here would replace Playwright's own.
 */
export const GATE_CHROMIUM_SWITCHES = ['--in-process-gpu'];

/** The gate's launch of the chosen browser: what it needs to run here, and the gate's own switches. */
export function gateLaunchOptions(choice: BrowserChoice): LaunchOptions {
  const options = chromiumLaunchOptions(choice);
  if (choice.kind === 'missing') return options;
  return { ...options, args: [...(options.args ?? []), ...GATE_CHROMIUM_SWITCHES] };
}

/**
 * Launch options for the chosen browser, headless (the default): Playwright's own needs none (it picks its headless
 * shell itself); another one needs its path (the system's headless shell where installed) and the flags.
 */
export function chromiumLaunchOptions(choice: BrowserChoice): LaunchOptions {
  if (choice.kind === 'playwright' || choice.kind === 'missing') return {};
  return { executablePath: (choice.kind === 'system' && choice.headlessShellPath) || choice.executablePath, args: SYSTEM_CHROMIUM_FLAGS };
}

/** The same launch for a headed run (`--headed`, `headless: false`): the headless shell has no window, the full browser does. */
export function headedLaunchOptions(launchOptions: LaunchOptions): LaunchOptions {
  if (!SYSTEM_HEADLESS_SHELL_PATHS.includes(launchOptions.executablePath ?? '') || !isExecutable(SYSTEM_CHROMIUM_PATH)) return launchOptions;
  return { ...launchOptions, executablePath: SYSTEM_CHROMIUM_PATH };
}

function playwrightChromiumPath(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
