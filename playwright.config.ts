import { availableParallelism, loadavg } from 'node:os';
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
  // Two workers on free cores, each with its own Chromium and browser-mode host (own port, own temporary user-data
  // dir, fixtures.ts); specs that need another host or the Azure emulator start their own on port 0, and every spec
  // writes under its own mkdtemp folder. One worker used about 2/3 of one core (CPU 284 s; 7.2 min wall in CI), so a
  // second overlaps one spec's waiting (host start, Python worker start, ARM polls) with another's work. On cores
  // already saturated (1-minute load average at start ≥ their count) two workers only halve each test's share: the
  // heavy specs (500 000-line requirements, 60 000 columns, replay, Python) then ran past their 60 s at a load of
  // 33, so one worker runs, as before. PREFLIGHT_E2E_WORKERS=<n> decides instead. Files stay whole (fullyParallel:
  // false): a file's tests share their worker's host, in order.
  workers: e2eWorkers(),
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

function e2eWorkers(): number {
  const asked = Number(process.env.PREFLIGHT_E2E_WORKERS);
  if (Number.isInteger(asked) && asked > 0) return asked;
  return availableParallelism() >= 2 && loadavg()[0] < availableParallelism() ? 2 : 1;
}
