import { sampleModelDir } from '../support/paths';
import { expect, test } from './support/fixtures';

/**
 * In the Electron app, Node workers are Electron utility processes, not `child_process.fork` (which needs the
 * run-as-node fuse the packaged app ships without): an ONNX prediction runs in the "Preflight onnx-worker"
 * utility process, and a local server on an ONNX model listens in the "Preflight onnx-serving" one — which answers
 * on its port, and is gone once the server stops. Electron project only; the browser project forks the same
 * workers (the integration tests cover that path).
 */

test.skip(({ appKind }) => appKind !== 'electron', 'utilityProcess exists only in the Electron host; browser mode forks its workers (integration tests).');

test('ONNX run and ONNX server in Electron run in utility processes', async ({ models, app }) => {
  const electron = app.electron!;
  const utilityNames = (): Promise<string[]> =>
    electron.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().filter((m) => m.type === 'Utility').map((m) => m.name ?? m.serviceName ?? ''));

  await models.expectModel(sampleModelDir, 'sample-model');
  await app.page.getByTestId('tab-playground').click();
  await app.page.getByTestId('fill-example').click();
  await expect(app.page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
  await app.page.getByTestId('playground-send').click();
  await expect(app.page.getByTestId('playground')).toHaveAttribute('data-run', 'done');
  await expect(app.page.locator('[data-testid="target-result"][data-target="local:azureml"]').getByTestId('target-status')).toHaveText('200 OK');
  await expect.poll(utilityNames).toContain('Preflight onnx-worker');

  await app.page.getByTestId('server-start').click();
  await expect(app.page.getByTestId('server-panel')).toHaveAttribute('data-running', 'true');
  const url = (await app.page.getByTestId('server-url').textContent())!.replace(/\/score$/, '');
  const health = await fetch(`${url}/`);
  expect(await health.text()).toBe('Healthy');
  await expect.poll(utilityNames).toContain('Preflight onnx-serving');

  await app.page.getByTestId('server-stop').click();
  await expect(app.page.getByTestId('server-panel')).toHaveAttribute('data-running', 'false');
  await expect(fetch(`${url}/`)).rejects.toThrow();
  await expect.poll(utilityNames).not.toContain('Preflight onnx-serving');
});
