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
  // Two workers, each with its own Chromium and browser-mode host (own port, own temporary user-data dir,
  // fixtures.ts); specs that need another host or the Azure emulator start their own on port 0, and every spec
  // writes under its own mkdtemp folder. One worker used about 2/3 of one core (CPU 284 s for 14.6 min under load,
  // 7.2 min wall in CI), so two overlap one spec's waiting (host start, Python worker start, ARM polls) with the
  // other's work. Files stay whole (fullyParallel: false): tests of a file share their worker's host in order.
  // PREFLIGHT_E2E_WORKERS=1 runs them one at a time again (e.g. to time one spec alone).
  workers: Number(process.env.PREFLIGHT_E2E_WORKERS ?? 2),
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
