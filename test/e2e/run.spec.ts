import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * The Run tab end to end on the bundled sample model: Send the Azure sample → 200 with a prediction; break the
 * body → the server's error answer with Azure's hidden log; start a local server, call it from the test → the
 * request shows in the live log; stop it.
 */

/** The Run tab as a user sees it; the selectors live here, not in the test bodies. */
class RunPanel {
  readonly panel: Locator;
  readonly body: Locator;
  readonly send: Locator;
  readonly result: Locator;
  readonly status: Locator;
  readonly server: Locator;
  constructor(readonly page: Page) {
    this.panel = page.getByTestId('run-panel');
    this.body = page.getByTestId('run-body-editor');
    this.send = page.getByTestId('run-send');
    this.result = page.getByTestId('run-result');
    this.status = page.getByTestId('run-status');
    this.server = page.getByTestId('server-panel');
  }
  async open(): Promise<void> {
    await this.page.getByTestId('tab-run').click();
    await expect(this.page.getByTestId('tab-run')).toHaveAttribute('aria-selected', 'true');
    await expect(this.panel).toBeVisible();
  }
  /** Waits for the answer to the Send just made. */
  async answered(): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-run', /^(done|error)$/);
  }
}

test('the Run tab: send the sample, break it, serve the model and watch the log', async ({ models, app }) => {
  await models.expectModel(sampleModelDir, 'sample-model');
  const run = new RunPanel(app.page);
  await run.open();

  // Azure ML is the default profile; the body starts as the model's sample for it.
  await expect(app.page.getByTestId('run-server-azureml')).toHaveAttribute('aria-checked', 'true');
  await expect(run.body).toHaveValue(/"input_data"/);
  // The bundled sample is ONNX-only: it runs in onnxruntime-node, no Python needed.
  await expect(app.page.getByTestId('run-environment')).toHaveAttribute('data-engine', 'onnx');
  await expect(app.page.getByTestId('run-environment')).toContainText('no Python is needed');
  await run.send.click();
  await run.answered();
  await expect(run.status).toHaveText('200 OK');
  await expect(run.result).toHaveAttribute('data-status', '200');
  await expect(app.page.getByTestId('run-body')).toContainText(/"variable": -?\d+\.\d+/);
  await expect(app.page.getByTestId('run-engine')).toContainText('ONNX');
  await expect(app.page.getByTestId('run-latency')).toHaveText(/\d+(\.\d)? ms/);

  // Break a type: Azure answers its generic 500 and only logs why.
  const sample = await run.body.inputValue();
  const firstNumber = /-?\d+\.\d+/.exec(sample)![0];
  await run.body.fill(sample.replace(firstNumber, '"not a number"'));
  await run.body.press('Control+Enter');
  await run.answered();
  await expect(run.result).toHaveAttribute('data-status', '500');
  await expect(run.status).toContainText('500 Internal Server Error');
  await expect(app.page.getByTestId('run-body')).toContainText('An unexpected error occurred in scoring script');
  await expect(app.page.getByTestId('run-server-log')).toContainText('not a number');

  // The edit survives a profile switch; MLflow gets its own sample and answers 200.
  await app.page.getByTestId('run-server-mlflow').click();
  await expect(run.body).toHaveValue(/"dataframe_split"/);
  await run.send.click();
  await run.answered();
  await expect(run.status).toHaveText('200 OK');
  await expect(app.page.getByTestId('run-body')).toContainText('"predictions"');
  await app.page.getByTestId('run-server-azureml').click();
  await expect(run.body).toHaveValue(/not a number/);
  await app.page.getByTestId('run-reset-sample').click();
  await expect(run.body).not.toHaveValue(/not a number/);

  // A local Azure-profile server: the key never reaches the page; in browser mode Copy key says where it is.
  await app.page.getByTestId('server-start').click();
  await expect(run.server).toHaveAttribute('data-running', 'true');
  const url = (await app.page.getByTestId('server-url').textContent())!.replace(/\/score$/, '');
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(app.page.getByTestId('server-curl')).toContainText('$PREFLIGHT_KEY');
  if (app.kind === 'browser') {
    await expect(app.page.getByTestId('copy-key')).toBeDisabled();
    await expect(app.page.getByTestId('copy-key-unavailable')).toContainText('terminal');
  }

  const health = await fetch(`${url}/`);
  expect(await health.text()).toBe('Healthy');
  const line = app.page.getByTestId('server-log-line').first();
  await expect(line).toHaveAttribute('data-path', '/');
  await expect(line).toHaveAttribute('data-status', '200');
  const unauthorized = await fetch(`${url}/score`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(unauthorized.status).toBe(401);
  await expect(app.page.getByTestId('server-log-line')).toHaveCount(2);
  await expect(app.page.getByTestId('server-log-line').first()).toHaveAttribute('data-status', '401');

  await mkdir(screenshotDir, { recursive: true });
  await app.page.screenshot({ path: join(screenshotDir, 'run.png'), fullPage: true });

  await app.page.getByTestId('server-stop').click();
  await expect(run.server).toHaveAttribute('data-running', 'false');
  await expect(fetch(`${url}/`)).rejects.toThrow();
});
