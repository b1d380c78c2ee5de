// Which Chromium runs the specs: the system's headless shell for headless launches where it is installed, the full
// browser for headed ones (harness/browser/chromium.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { chromiumLaunchOptions, gateLaunchOptions, headedLaunchOptions, SYSTEM_CHROMIUM_FLAGS, SYSTEM_CHROMIUM_PATH, SYSTEM_HEADLESS_SHELL_PATHS } from '../../harness/browser/chromium.ts';

const shell = SYSTEM_HEADLESS_SHELL_PATHS[0]!;
const executable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

describe('the Chromium a launch takes', () => {
  it('a system Chromium with its headless shell: headless launches take the shell, with the system flags', () => {
    const options = chromiumLaunchOptions({ kind: 'system', executablePath: SYSTEM_CHROMIUM_PATH, headlessShellPath: shell });
    assert.deepEqual(options, { executablePath: shell, args: SYSTEM_CHROMIUM_FLAGS });
  });

  it('a system Chromium without it, or a configured one: that binary; Playwright\'s own: nothing to say (it picks its shell itself)', () => {
    assert.equal(chromiumLaunchOptions({ kind: 'system', executablePath: SYSTEM_CHROMIUM_PATH }).executablePath, SYSTEM_CHROMIUM_PATH);
    assert.equal(chromiumLaunchOptions({ kind: 'configured', executablePath: '/opt/chrome/chrome' }).executablePath, '/opt/chrome/chrome');
    assert.deepEqual(chromiumLaunchOptions({ kind: 'playwright', executablePath: '/ms-playwright/chromium' }), {});
  });

  it('the gate adds its own switches to any Chromium', () => {
    assert.ok(gateLaunchOptions({ kind: 'playwright', executablePath: '/ms-playwright/chromium' }).args?.includes('--in-process-gpu'));
    assert.ok(gateLaunchOptions({ kind: 'system', executablePath: SYSTEM_CHROMIUM_PATH, headlessShellPath: shell }).args?.includes('--in-process-gpu'));
  });

  it('a headed run takes the full browser where the headless shell was chosen, and leaves any other launch as it is', () => {
    const headed = headedLaunchOptions({ executablePath: shell, args: ['--no-sandbox'] });
    if (executable(SYSTEM_CHROMIUM_PATH)) assert.deepEqual(headed, { executablePath: SYSTEM_CHROMIUM_PATH, args: ['--no-sandbox'] });
    else assert.equal(headed.executablePath, shell, 'without the full browser there is nothing to swap to');
    assert.deepEqual(headedLaunchOptions({ executablePath: '/opt/chrome/chrome' }), { executablePath: '/opt/chrome/chrome' });
    assert.deepEqual(headedLaunchOptions({}), {});
  });
});
