import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, test as base, chromium, expect, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { fixture, repoRoot, sampleModelDir } from '../../support/paths';
import { buildSklearnModels, copySklearnModels, sklearnSkipReason, type SklearnModels } from '../../support/sklearn-models';
import { ModelsPage } from '../pages/models-page';
import { builtElectronMain, builtRendererIndex, electronBinary, requireBuilt } from './app-paths';
import { startBrowserHost, type BrowserHost } from './browser-host';

export type AppKind = 'browser' | 'electron';
export interface AppKindOptions {
  /** Which host the project drives; set per project in playwright.config.ts. */
  appKind: AppKind;
}

/** What the browser-mode host's scripted folder picker answers (once per worker). */
export const dialogPickPath = fixture('mlflow-models', 'azureml-examples-heart-classifier');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface AppSession {
  kind: AppKind;
  page: Page;
  /** The browser host this page talks to (null in Electron). */
  host: BrowserHost | null;
  /** The Electron app (its main process), in the electron project only. */
  electron?: ElectronApplication;
}

interface WorkerFixtures {
  appKind: AppKind;
  /** Debian's Chromium, one per worker; null in the electron project (never launched there). */
  chromiumBrowser: Browser | null;
  /** One browser-mode host per worker on the sample model, with its own temporary user data; null in electron. */
  browserHost: BrowserHost | null;
  /** The scikit-learn models trained once per worker (Python imports and fits: seconds, more on a busy machine); null where they cannot be built. */
  sklearnTrained: SklearnModels | null;
}
interface TestFixtures {
  app: AppSession;
  models: ModelsPage;
  /** A copy of the worker's scikit-learn models that this test owns (removed after it); null where sklearnSkipReason says why. */
  sklearnModels: SklearnModels | null;
}

/** Launches Debian's Chromium (not Playwright's download) with the flags CI containers need. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new Error(
      `Could not start Chromium at ${executablePath} (install Debian's \`chromium\` package or set CHROMIUM_PATH): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * The shared fixture: specs get `models` (a page object) on the app, opened either in Debian's Chromium against the
 * browser-mode host or as the real Electron app with a temporary user-data dir. The page is ready to use (the app
 * signalled `data-app-state`). Uncaught page errors fail the test: a crash the UI hides is still a bug.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  appKind: ['browser', { option: true, scope: 'worker' }],

  chromiumBrowser: [
    async ({ appKind }, use) => {
      if (appKind !== 'browser') return use(null);
      const browser = await launchChromium();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],

  browserHost: [
    async ({ appKind }, use) => {
      if (appKind !== 'browser') return use(null);
      const host = await startBrowserHost({ model: sampleModelDir, dialogPaths: [dialogPickPath] });
      await use(host);
      await host.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  sklearnTrained: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern: this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      if (sklearnSkipReason !== null) return use(null);
      const trained = buildSklearnModels();
      await use(trained);
      await rm(trained.dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  sklearnModels: async ({ sklearnTrained }, use) => {
    if (!sklearnTrained) return use(null);
    const copy = copySklearnModels(sklearnTrained);
    await use(copy);
    await rm(copy.dir, { recursive: true, force: true });
  },

  app: async ({ appKind, chromiumBrowser, browserHost }, use, testInfo) => {
    const pageErrors: string[] = [];
    const watch = (page: Page): void => {
      page.on('pageerror', (error) => pageErrors.push(error.message));
    };

    if (appKind === 'browser') {
      const context = await chromiumBrowser!.newContext({ viewport: testInfo.project.use.viewport ?? { width: 1440, height: 900 } });
      const page = await context.newPage();
      watch(page);
      await page.goto(browserHost!.url);
      await use({ kind: 'browser', page, host: browserHost });
      await context.close();
    } else {
      const binary = electronBinary();
      testInfo.skip(!binary.ok, `No Electron binary on this machine: ${binary.ok ? '' : binary.reason}`);
      if (!binary.ok) return;
      requireBuilt([builtElectronMain, builtRendererIndex]);
      const userData = await mkdtemp(join(tmpdir(), 'preflight-e2e-electron-'));
      const electronApp = await _electron.launch({
        executablePath: binary.path,
        args: [builtElectronMain],
        cwd: repoRoot,
        env: { ...process.env, PREFLIGHT_USER_DATA: userData, PREFLIGHT_STRICT_IPC: '1' } as Record<string, string>,
      });
      try {
        const page = await electronApp.firstWindow();
        watch(page);
        await use({ kind: 'electron', page, host: null, electron: electronApp });
      } finally {
        await electronApp.close();
        await rm(userData, { recursive: true, force: true });
      }
    }
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  },

  models: async ({ app }, use) => {
    await use(new ModelsPage(app.page, app.kind));
  },
});

export { expect };
