import { defineConfig } from '@playwright/test';
import type { AppKindOptions } from './test/e2e/support/fixtures';

/**
 * Two projects over the same specs and page objects (ARCHITECTURE.md §6): `browser` drives Debian's Chromium against
 * the browser-mode host, `electron` drives the real app and skips, saying why, where no Electron binary exists.
 * Both need `npm run build` first (out/renderer, out/node/host.js, out/main/index.js).
 */
export default defineConfig<AppKindOptions>({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  // One host / one app window at a time: the machine is small and the specs share a user-data dir per worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 900 },
  },
  projects: [
    { name: 'browser', use: { appKind: 'browser' } },
    { name: 'electron', use: { appKind: 'electron' } },
  ],
});
