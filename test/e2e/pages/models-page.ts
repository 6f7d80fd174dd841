import { copyFile, mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { readmeScreenshot, screenshotDir } from '../support/app-paths';

export type ModelTab = 'overview' | 'signature' | 'examples' | 'environment' | 'onnx' | 'files' | 'findings' | 'problems' | 'package' | 'azure';

/** The Models view as a user sees it; every selector the specs need lives here, not in the specs. */
export class ModelsPage {
  readonly pathInput: Locator;
  readonly openButton: Locator;
  readonly browseButton: Locator;
  readonly modelName: Locator;
  readonly errorPanel: Locator;
  readonly signatureInputs: Locator;
  readonly dependencyTable: Locator;
  readonly findingsList: Locator;
  readonly recentItems: Locator;
  readonly notice: Locator;
  readonly disconnectedBanner: Locator;

  constructor(
    readonly page: Page,
    readonly kind: 'browser' | 'electron',
  ) {
    this.pathInput = page.getByTestId('open-path-input');
    this.openButton = page.getByTestId('open-button');
    this.browseButton = page.getByTestId('browse-button');
    this.modelName = page.getByTestId('model-name');
    this.errorPanel = page.getByTestId('error-panel');
    this.signatureInputs = page.getByTestId('signature-inputs');
    this.dependencyTable = page.getByTestId('dependency-table');
    this.findingsList = page.getByTestId('findings-list');
    this.recentItems = page.getByTestId('recent-item');
    this.notice = page.getByTestId('open-notice');
    this.disconnectedBanner = page.getByTestId('disconnected-banner');
  }

  /** Waits for the app's own signal that the main view settled (no sleeping). */
  async waitSettled(): Promise<void> {
    await expect(this.page.locator('body')).toHaveAttribute('data-app-state', /^(ready|error)$/);
  }

  /** Waits until the model at `path` is shown. */
  async expectModel(path: string, name: string): Promise<void> {
    await expect(this.page.getByTestId('model-view')).toHaveAttribute('data-model-path', path);
    await expect(this.modelName).toHaveText(name);
    await expect(this.page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  }

  /** Types a path into the field and presses Open, as a user would. */
  async open(path: string): Promise<void> {
    await this.pathInput.fill(path);
    await this.openButton.click();
  }

  async showTab(tab: ModelTab): Promise<void> {
    const button = this.page.getByTestId(`tab-${tab}`);
    await button.click();
    await expect(button).toHaveAttribute('aria-selected', 'true');
  }

  /** First-column texts of the signature's input table (column or tensor names). */
  signatureInputNames(): Promise<string[]> {
    return this.signatureInputs.locator('tbody tr td:first-child').allTextContents();
  }

  /** Rows of the dependency table for one package (one per file that lists it). */
  dependencyRows(name: string): Locator {
    return this.dependencyTable.getByTestId(`dep-${name}`);
  }

  finding(code: string): Locator {
    return this.page.getByTestId(`finding-${code}`);
  }

  recentItem(name: string): Locator {
    return this.recentItems.filter({ has: this.page.locator('.recent-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
  }

  /** Saves `test/e2e/output/<project>-<name>.png`; with `readme`, also refreshes docs/screenshot.png on request. */
  async screenshot(name: string, options: { readme?: boolean } = {}): Promise<void> {
    const path = join(screenshotDir, `${this.kind}-${name}.png`);
    await mkdir(screenshotDir, { recursive: true });
    await this.page.screenshot({ path });
    if (options.readme && this.kind === 'browser' && process.env.PREFLIGHT_UPDATE_SCREENSHOT === '1') {
      await mkdir(dirname(readmeScreenshot), { recursive: true });
      // Copy then rename, so the README never links a half-written image.
      const temp = `${readmeScreenshot}.${process.pid}.tmp`;
      await copyFile(path, temp);
      await rename(temp, readmeScreenshot);
    }
  }
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
