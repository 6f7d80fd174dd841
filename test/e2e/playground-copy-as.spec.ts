import type { Locator, Page } from '@playwright/test';
import { sampleModelDir } from '../support/paths';
import { expect, test } from './support/fixtures';

/**
 * "Copy as" on URL targets' results: curl and Python for any, `az ml online-endpoint invoke` only where it makes sense —
 * a URL speaking Azure ML's protocol (an Azure target gets the same), never an MLflow URL. The URLs are Preflight's
 * own local servers of the sample model, one per profile.
 */

class Targets {
  constructor(readonly page: Page) {}
  /** Starts the local server of a profile and returns its scoring URL. */
  async startServer(profile: 'azureml' | 'mlflow'): Promise<string> {
    await this.page.getByTestId(`run-server-${profile}`).click();
    await this.page.getByTestId('server-start').click();
    await expect(this.page.getByTestId('server-panel')).toHaveAttribute('data-running', 'true');
    return (await this.page.getByTestId('server-url').textContent())!;
  }
  async addUrl(profile: 'azureml' | 'mlflow', url: string): Promise<void> {
    await this.page.getByTestId('add-url-target').click();
    const row = this.page.getByTestId('url-target').last();
    await row.getByRole('combobox').selectOption(profile);
    await row.getByRole('textbox').fill(url);
  }
  result(name: string): Locator {
    return this.page.locator(`[data-testid="target-result"][data-target="${name}"]`);
  }
}

test('Copy as: az ml online-endpoint invoke for an Azure ML URL, not for an MLflow URL', async ({ models, app }) => {
  await models.expectModel(sampleModelDir, 'sample-model');
  await app.page.getByTestId('tab-playground').click();
  await app.page.getByTestId('fill-example').click();
  await expect(app.page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  const t = new Targets(app.page);
  const mlflowUrl = await t.startServer('mlflow');
  const azureUrl = await t.startServer('azureml');
  await t.addUrl('mlflow', mlflowUrl);
  await t.addUrl('azureml', azureUrl);
  await app.page.getByTestId('playground-send').click();
  await expect(app.page.getByTestId('playground')).toHaveAttribute('data-run', /^(done|error)$/);

  const mlflow = t.result(`mlflow:${mlflowUrl}`);
  await expect(mlflow.getByTestId('target-status')).toHaveText('200 OK');
  await mlflow.getByTestId('target-sent').locator('summary').click();
  await expect(mlflow.getByRole('radiogroup', { name: 'Copy as' }).getByRole('radio')).toHaveText(['curl', 'Python requests']);
  await expect(mlflow.getByTestId('copy-as-az')).toHaveCount(0);

  // No key was given: Azure's gateway refuses (401), but what was sent can be copied, the az CLI included.
  const azure = t.result(`azureml:${azureUrl}`);
  await expect(azure.getByTestId('target-status')).toHaveText('401 Unauthorized');
  await azure.getByTestId('target-sent').locator('summary').click();
  await expect(azure.getByRole('radiogroup', { name: 'Copy as' }).getByRole('radio')).toHaveText(['curl', 'Python requests', 'az ml online-endpoint invoke']);
  await azure.getByTestId('copy-as-az').click();
  await expect(azure.getByTestId('copy-as-text')).toContainText('az ml online-endpoint invoke --name <endpoint-name> --request-file request.json');
  await expect(azure.getByTestId('copy-as-note')).toContainText('Replace <endpoint-name>: this URL is not an Azure ML managed endpoint address.');

  await app.page.getByTestId('server-stop').click();
  await app.page.getByTestId('run-server-mlflow').click();
  await app.page.getByTestId('server-stop').click();
  await expect(app.page.getByTestId('server-panel')).toHaveAttribute('data-running', 'false');
});
