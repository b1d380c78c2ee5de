// A fake microphone for specs that record: Chromium plays a WAV file as the microphone, and the page is allowed
// to use it without a prompt. See docs/demo-app.md ("The microphone fixture").
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../core/project-root.ts';
import type { LaunchOptions, Response } from '@playwright/test';

/** One second of a rising tone, 16 kHz mono 16-bit PCM: what the fake microphone hears, in a loop. */
// Found from the package's root, not import.meta: specs of a project without "type": "module" load this file as
// CommonJS, where import.meta does not exist. In the published package the file sits under dist/.
export const DEFAULT_FAKE_MICROPHONE_WAV =
  ['harness/browser/fake-microphone.wav', 'dist/harness/browser/fake-microphone.wav']
    .map((file) => path.join(PACKAGE_ROOT, file))
    .find((file) => fs.existsSync(file)) ?? path.join(PACKAGE_ROOT, 'harness/browser/fake-microphone.wav');

/** Chromium's switches: accept media prompts, fake capture devices, and the audio device plays `wavFile`. */
export function fakeMicrophoneArgs(wavFile: string): string[] {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wavFile}`];
}

/** Adds the fake microphone's switches to a launch, once; no `wavFile` (false) leaves the launch as it is. */
export function withFakeMicrophone(launchOptions: LaunchOptions, wavFile: string | false | undefined): LaunchOptions {
  if (!wavFile) return launchOptions;
  if (!fs.existsSync(wavFile)) throw new Error(`preflight: the fake microphone's file ${wavFile} does not exist: set the fakeMicrophoneFile option to a WAV file`);
  const args = launchOptions.args ?? [];
  if (args.some((arg) => arg.startsWith('--use-file-for-fake-audio-capture'))) return launchOptions;
  return { ...launchOptions, args: [...args, ...fakeMicrophoneArgs(wavFile)] };
}

/**
 * A granted permission and a fake device do not beat a page's own policy: `Permissions-Policy: microphone=()` (or a
 * list without the page's origin) makes getUserMedia fail. Returns the header when it blocks the microphone.
 */
export async function microphoneBlockedBy(response: Response | null): Promise<string | undefined> {
  const policy = response ? await response.headerValue('permissions-policy') : null;
  if (!policy) return undefined;
  const directive = /(?:^|,)\s*microphone\s*=\s*\(([^)]*)\)/i.exec(policy);
  if (!directive) return undefined;
  const allowList = directive[1]!.trim();
  return allowList === '' || !/\bself\b|\*/.test(allowList) ? `Permissions-Policy: ${policy}` : undefined;
}

export interface Microphone {
  /** The WAV file the fake microphone plays. */
  file: string;
  /** Why a page's own headers block the microphone, or undefined: pass the page's navigation response. */
  blockedBy(response: Response | null): Promise<string | undefined>;
}
