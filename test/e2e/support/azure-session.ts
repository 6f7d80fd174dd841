import type { Browser, BrowserContext, Page } from '@playwright/test';
import { sampleModelDir } from '../../support/paths';
import { AzurePage } from '../pages/azure-page';
import { ModelsPage } from '../pages/models-page';
import { startEmulatorProcess, type EmulatorInfo, type EmulatorProcess } from './azure-emulator-process';
import { startBrowserHost, type BrowserHost } from './browser-host';

export interface AzureSession {
  emulator: EmulatorProcess;
  emu: EmulatorInfo;
  host: BrowserHost;
  context: BrowserContext;
  page: Page;
  models: ModelsPage;
  azure: AzurePage;
  /** Uncaught errors in the page (a spec expects none). */
  pageErrors: string[];
  stop(): Promise<void>;
}

/**
 * The Azure specs' start: the emulator (`npm run azure-emulator`'s bundle), the browser-mode host composed with its
 * cloud file and the sample model open, and a 1600 px page on it. `stop()` closes them all, whatever started.
 */
export async function startAzureSession(browser: Browser, options: { ignoreHTTPSErrors?: boolean } = {}): Promise<AzureSession> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false });
  let emulator: EmulatorProcess | null = null;
  let host: BrowserHost | null = null;
  const stop = async (): Promise<void> => {
    await context.close();
    await host?.stop();
    await emulator?.stop();
  };
  try {
    emulator = await startEmulatorProcess();
    host = await startBrowserHost({ model: sampleModelDir, env: { PREFLIGHT_AZURE_CLOUD: emulator.info.cloudFile, PREFLIGHT_AZURE_FAST_RETRY: '1' } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(host.url);
    const models = new ModelsPage(page, 'browser');
    await models.expectModel(sampleModelDir, 'sample-model');
    return { emulator, emu: emulator.info, host, context, page, models, azure: new AzurePage(page), pageErrors, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
