import { mkdir } from 'node:fs/promises';
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
