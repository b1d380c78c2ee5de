// The bare runner the bench times preflight's start against (docs/benchmark.md): a configuration that imports
// Playwright's defineConfig and devices and nothing else, and one spec, listed with `npx playwright test --list`.
import { defineConfig, devices } from '@playwright/test';

export default defineConfig({ testDir: '.', projects: [{ name: 'local', use: { ...devices['Desktop Chrome'] } }] });
