import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * The Request tab end to end on the bundled sample model (10 double columns): the Azure sample validates as
 * you see it, breaking a value shows the server's answer, and the MLflow profile swaps in MLflow's form.
 */

const DIABETES_COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

/** The Request panel as a user sees it; the selectors live here, not in the test bodies. */
class RequestPanel {
  readonly panel: Locator;
  readonly body: Locator;
  readonly result: Locator;
  readonly status: Locator;
  readonly columns: Locator;
  readonly emulated: Locator;
  constructor(readonly page: Page) {
    this.panel = page.getByTestId('request-panel');
    this.body = page.getByTestId('body-editor');
    this.result = page.getByTestId('request-result');
    this.status = page.getByTestId('result-status');
    this.columns = page.getByTestId('receives-column');
    this.emulated = page.getByTestId('emulated-version');
  }
  async open(): Promise<void> {
    await this.page.getByTestId('tab-request').click();
    await expect(this.page.getByTestId('tab-request')).toHaveAttribute('aria-selected', 'true');
    await expect(this.panel).toBeVisible();
  }
  /** Waits until the answer shown is the one for the current body (no validation in flight). */
  async settled(): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-validation', 'done');
  }
}

test('the Request tab: Azure sample accepted, a broken type rejected, the MLflow form on the MLflow profile', async ({ models, app }) => {
  await models.expectModel(sampleModelDir, 'sample-model');
  const request = new RequestPanel(app.page);
  await request.open();

  // Azure ML is the default profile; the sample comes from the model's input example.
  await expect(app.page.getByTestId('server-azureml')).toHaveAttribute('aria-checked', 'true');
  await expect(request.body).toHaveValue(/"input_data"/);
  await request.settled();
  await expect(request.result).toHaveAttribute('data-ok', 'true');
  await expect(request.status).toHaveText('200 — the model is called');
  await expect(request.columns).toHaveCount(10);
  expect(await request.columns.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')))).toEqual(DIABETES_COLUMNS);
  expect(new Set(await request.columns.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-dtype'))))).toEqual(new Set(['float64']));
  // Which MLflow is emulated, and why: the sample model pins mlflow==2.16.2 in its requirements.
  await expect(request.emulated).toContainText('MLflow 2.16.2');
  await expect(request.emulated).toContainText('mlflow==2.16.2');

  // Break a type: a word where the signature wants a double. Azure answers its generic 500 and only logs why.
  const sample = await request.body.inputValue();
  const firstNumber = /-?\d+\.\d+/.exec(sample)![0];
  await request.body.fill(sample.replace(firstNumber, '"not a number"'));
  await request.settled();
  await expect(request.result).toHaveAttribute('data-ok', 'false');
  await expect(request.status).toHaveText('500 — rejected');
  await expect(app.page.getByTestId('response-body')).toContainText('An unexpected error occurred in scoring script');
  await expect(app.page.getByTestId('server-log')).toContainText("Azure only writes this to the deployment's log");
  await expect(app.page.getByTestId('server-log')).toContainText('not a number');

  // MLflow shows its own form of the request once the body is back to the sample.
  await app.page.getByTestId('reset-sample').click();
  await request.settled();
  await expect(request.result).toHaveAttribute('data-ok', 'true');
  await app.page.getByTestId('server-mlflow').click();
  await expect(app.page.getByTestId('server-mlflow')).toHaveAttribute('aria-checked', 'true');
  await expect(request.body).toHaveValue(/"dataframe_split"/);
  await expect(request.body).not.toHaveValue(/"input_data"/);
  await request.settled();
  await expect(request.status).toHaveText(/^200 — the model is called/);
  await expect(request.columns).toHaveCount(10);

  // The Azure body on the MLflow profile is MLflow's exact 400.
  await app.page.getByTestId('server-azureml').click();
  await request.settled();
  const azureBody = await request.body.inputValue();
  await app.page.getByTestId('server-mlflow').click();
  await request.body.fill(azureBody);
  await request.settled();
  await expect(request.status).toHaveText('400 — rejected');
  await expect(app.page.getByTestId('response-body')).toContainText('BAD_REQUEST');

  // "Convert to…" rewrites the Azure sample as MLflow records and selects the MLflow profile, which accepts it.
  await app.page.getByTestId('server-azureml').click();
  await app.page.getByTestId('reset-sample').click();
  await request.settled();
  await app.page.getByTestId('convert-select').selectOption('dataframe_records');
  await expect(request.body).toHaveValue(/"dataframe_records"/);
  await expect(app.page.getByTestId('server-mlflow')).toHaveAttribute('aria-checked', 'true');
  await request.settled();
  await expect(request.status).toHaveText(/^200 — the model is called/);
  await expect(request.columns).toHaveCount(10);

  // Back to the sample for the screenshot: the accepted answer with its preview table.
  await app.page.getByTestId('server-azureml').click();
  await app.page.getByTestId('reset-sample').click();
  await request.settled();
  await expect(request.result).toHaveAttribute('data-ok', 'true');
  await mkdir(screenshotDir, { recursive: true });
  await app.page.screenshot({ path: join(screenshotDir, 'request.png'), fullPage: true });
});
