import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { screenshotDir } from '../support/app-paths';

/** The Azure tab as a user sees it; the Azure spec's selectors live here. */
export class AzurePage {
  readonly view: Locator;
  readonly account: Locator;
  readonly operation: Locator;
  readonly wizard: Locator;
  readonly endpoint: Locator;
  readonly answer: Locator;

  constructor(readonly page: Page) {
    this.view = page.getByTestId('azure-view');
    this.account = page.getByTestId('azure-account');
    this.operation = page.getByTestId('azure-operation');
    this.wizard = page.getByTestId('azure-wizard');
    this.endpoint = page.getByTestId('azure-endpoint');
    this.answer = page.getByTestId('azure-answer');
  }

  async signInServicePrincipal(tenant: string, clientId: string, secret: string): Promise<void> {
    await this.page.getByTestId('azure-method-service-principal').check();
    await this.page.getByTestId('azure-tenant').fill(tenant);
    await this.page.getByTestId('azure-client-id').fill(clientId);
    await this.page.getByTestId('azure-client-secret').fill(secret);
    await this.page.getByTestId('azure-sign-in').click();
    await expect(this.account).toHaveAttribute('data-signed-in', 'true');
  }

  workspace(name: string): Locator {
    return this.page.locator(`[data-testid="azure-workspace"][data-workspace="${name}"]`);
  }

  endpointRow(name: string): Locator {
    return this.page.locator(`[data-testid="azure-endpoint-row"][data-endpoint="${name}"]`);
  }

  deploymentRow(name: string): Locator {
    return this.endpoint.locator(`[data-testid="azure-deployment-row"][data-deployment="${name}"]`);
  }

  /** Walks the wizard from its findings step to Deploy. */
  async registerAndDeploy(o: { endpoint: string; existing?: boolean; deployment: string; auth?: 'Key' | 'AADToken'; confirm?: string; screenshot?: string }): Promise<void> {
    await this.page.getByTestId('azure-register-deploy').click();
    await expect(this.wizard).toHaveAttribute('data-step', 'findings');
    if (o.confirm !== undefined) await this.page.getByTestId('azure-wizard-confirm').fill(o.confirm);
    await this.wizard.getByTestId('azure-wizard-next').click();
    await expect(this.wizard).toHaveAttribute('data-step', 'target');
    if (o.existing) {
      await this.page.getByTestId('azure-wizard-endpoint-mode').selectOption('existing');
      await this.page.getByTestId('azure-wizard-endpoint-existing').selectOption(o.endpoint);
    } else {
      await this.page.getByTestId('azure-wizard-endpoint').fill(o.endpoint);
    }
    if (o.auth) await this.page.getByTestId('azure-wizard-auth').selectOption(o.auth);
    await this.page.getByTestId('azure-wizard-deployment').fill(o.deployment);
    if (o.screenshot) await this.screenshot(o.screenshot, this.wizard);
    await this.wizard.getByTestId('azure-wizard-next').click();
    await expect(this.wizard).toHaveAttribute('data-step', 'review');
    await this.page.getByTestId('azure-wizard-deploy').click();
  }

  async showTool(tool: 'invoke' | 'logs' | 'keys' | 'yaml'): Promise<void> {
    await this.page.getByTestId(`tab-${tool}`).click();
  }

  /** Saves `test/e2e/output/browser-azure-<name>-<width>.png`, with `focus` scrolled into view first. */
  async screenshot(name: string, focus?: Locator): Promise<void> {
    await mkdir(screenshotDir, { recursive: true });
    if (focus) await focus.scrollIntoViewIfNeeded();
    const width = this.page.viewportSize()?.width ?? 0;
    await this.page.screenshot({ path: join(screenshotDir, `browser-azure-${name}-${width}.png`) });
  }
}
