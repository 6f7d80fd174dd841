import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * The local runner under the playground, on the bundled sample model: the engine line (ONNX, no Python), then a
 * local Azure-profile server — start it, call it from the test, the requests show in its live log, stop it.
 * (Sending requests moved to the playground: playground.spec.ts.)
 */

/** The local runner panel as a user sees it; the selectors live here, not in the test bodies. */
class RunnerPanel {
  readonly panel: Locator;
  readonly server: Locator;
  constructor(readonly page: Page) {
    this.panel = page.getByTestId('run-panel');
    this.server = page.getByTestId('server-panel');
  }
  async open(): Promise<void> {
    await this.page.getByTestId('tab-playground').click();
    await expect(this.page.getByTestId('tab-playground')).toHaveAttribute('aria-selected', 'true');
    await expect(this.panel).toBeVisible();
  }
}

test('the local runner: the engine that runs the model, a local server and its live log', async ({ models, app }) => {
  await models.expectModel(sampleModelDir, 'sample-model');
  const run = new RunnerPanel(app.page);
  await run.open();
  // The bundled sample is ONNX-only: it runs in onnxruntime-node, no Python needed.
  await expect(app.page.getByTestId('run-environment')).toHaveAttribute('data-engine', 'onnx');
  await expect(app.page.getByTestId('run-environment')).toContainText('no Python is needed');
  await expect(app.page.getByTestId('run-server-azureml')).toHaveAttribute('aria-checked', 'true');

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

test('the local runner: a server on an MLflow version the real server cannot start with says so, and follows the playground back to the pin', async ({ models, app }) => {
  await models.expectModel(sampleModelDir, 'sample-model');
  const run = new RunnerPanel(app.page);
  await run.open();
  const field = app.page.getByTestId('mlflow-version');
  const emulating = async (version: string): Promise<void> => {
    await field.fill(version);
    await field.press('Enter');
    await expect(app.page.getByTestId('emulated-version')).toContainText(`MLflow ${version || '2.16.2'}`);
  };
  const warning = app.page.getByTestId('server-would-not-start');
  const changed = app.page.getByTestId('server-version-changed');

  // The sample's signature was written by MLflow 2.16.2 ("required"): the real mlflow models serve 2.7.1 never starts.
  await emulating('2.7.1');
  await app.page.getByTestId('run-server-mlflow').click();
  await app.page.getByTestId('server-start').click();
  await expect(run.server).toHaveAttribute('data-running', 'true');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('mlflow models serve would not start with MLflow 2.7.1');
  await expect(warning).toContainText('This server answers its health check, but every scoring request (/invocations) gets 500 E_NOT_STARTED.');
  await expect(warning).toContainText('The signature\'s column age carries a "required" key, which MLflow writes from 2.10.0 on; MLflow 2.7.1 cannot read it');
  await expect(app.page.getByTestId('server-would-not-start-todo')).toHaveText(
    "Emulate the version the model pins instead: empty the playground's MLflow field (MLflow 2.16.2, what Azure installs, reads this model), then restart the server.",
  );
  // Python's own line only behind "What the real server's log shows".
  const log = warning.getByText("TypeError: ColSpec.__init__() got an unexpected keyword argument 'required'");
  await expect(log).toBeHidden();
  await warning.getByText("What the real server's log shows").click();
  await expect(log).toBeVisible();
  await expect(changed).toHaveCount(0);
  // What the warning is about: healthy, yet no scoring request gets an answer.
  const oldUrl = (await app.page.getByTestId('server-url').textContent())!.replace(/\/invocations$/, '');
  const body = await readFile(join(sampleModelDir, 'serving_input_example.json'), 'utf8');
  expect((await fetch(`${oldUrl}/health`)).status).toBe(200);
  const refused = await fetch(`${oldUrl}/invocations`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  expect(refused.status).toBe(500);
  expect(refused.headers.get('x-preflight-error')).toBe('E_NOT_STARTED');
  await mkdir(screenshotDir, { recursive: true });
  await run.server.screenshot({ path: join(screenshotDir, 'run-would-not-start.png') });

  // Back to the pin in the playground: the running server still emulates 2.7.1 until it is restarted.
  await emulating('');
  await expect(changed).toContainText('This server still emulates MLflow 2.7.1; the playground now emulates MLflow 2.16.2.');
  await expect(app.page.getByTestId('server-would-not-start-todo')).toHaveCount(0);
  await app.page.getByTestId('server-restart').click();
  await expect(run.server.getByText('MLflow 2.16.2', { exact: true })).toBeVisible();
  await expect(run.server).toHaveAttribute('data-running', 'true');
  await expect(warning).toHaveCount(0);
  await expect(changed).toHaveCount(0);
  const url = (await app.page.getByTestId('server-url').textContent())!.replace(/\/invocations$/, '');
  const answered = await fetch(`${url}/invocations`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  expect(answered.status).toBe(200);

  // And the other way: a server on the pin is out of date once the playground emulates another version.
  await emulating('2.12.2');
  await expect(changed).toContainText('This server still emulates MLflow 2.16.2; the playground now emulates MLflow 2.12.2.');
  await expect(app.page.getByTestId('server-restart')).toHaveText('Restart with MLflow 2.12.2');
  await app.page.getByTestId('server-stop').click();
  await expect(run.server).toHaveAttribute('data-running', 'false');
  await emulating('');
});
