import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { sklearnSkipReason, SYSTEM_PYTHON } from '../support/sklearn-models';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * The Python interpreter setting in the Run tab, on a real scikit-learn MLflow model: a path that is not Python
 * is refused inline and nothing changes; /usr/bin/python3 is taken, the environment line says it comes from the
 * setting, and Send answers 200 with the model's prediction from that interpreter. Clear puts things back.
 */

/** The interpreter control as a user sees it; selectors live here, not in the test body. */
class PythonSetting {
  readonly root: Locator;
  readonly input: Locator;
  readonly use: Locator;
  readonly clear: Locator;
  readonly error: Locator;
  readonly current: Locator;
  readonly inUse: Locator;
  constructor(page: Page) {
    this.root = page.getByTestId('python-setting');
    this.input = page.getByTestId('python-setting-input');
    this.use = page.getByTestId('python-setting-use');
    this.clear = page.getByTestId('python-setting-clear');
    this.error = page.getByTestId('python-setting-error');
    this.current = page.getByTestId('python-setting-current');
    this.inUse = page.getByTestId('python-in-use');
  }
  async choose(path: string): Promise<void> {
    await this.input.fill(path);
    await this.use.click();
    await expect(this.root).toHaveAttribute('data-status', 'idle');
  }
}

test('Python interpreter: a bad path is refused inline, /usr/bin/python3 runs the sklearn model', async ({ models, app, sklearnModels }) => {
  test.skip(sklearnSkipReason !== null, sklearnSkipReason ?? '');
  // Trained once per worker (fixtures.ts); this copy is the test's own.
  const m = sklearnModels!;
  const page = app.page;
  const python = new PythonSetting(page);
  try {
    await models.open(m.diabetes);
    await models.expectModel(m.diabetes, 'diabetes');
    await page.getByTestId('tab-playground').click();
    await expect(page.getByTestId('run-environment')).toHaveAttribute('data-engine', 'python');
    await expect(python.current).toContainText('Setting: not set');

    // Not Python at all: the inline error names the path and says what is wrong; nothing is saved.
    const missing = `${m.dir}/no-such-python`;
    await python.choose(missing);
    await expect(python.error).toHaveAttribute('data-code', 'E_INVALID_INPUT');
    await expect(python.error).toContainText(missing);
    await expect(python.error).toContainText('does not exist');
    await expect(python.input).toHaveValue(missing);
    await expect(python.root).toHaveAttribute('data-setting', '');
    await python.choose('/bin/sh');
    await expect(python.error).toContainText('"/bin/sh"');
    await expect(python.error).toContainText(/exited with|is not a Python interpreter/);

    // Debian's Python: taken, and the environment is looked up again with it.
    await python.choose(SYSTEM_PYTHON);
    await expect(python.error).toHaveCount(0);
    await expect(python.root).toHaveAttribute('data-setting', SYSTEM_PYTHON);
    await expect(python.current).toContainText(`Setting: ${SYSTEM_PYTHON} (Python 3.`);
    await expect(python.inUse).toContainText(`In use: ${SYSTEM_PYTHON}`);
    await expect(python.inUse).toContainText('from the Python interpreter setting');
    await expect(python.input).toHaveValue('');

    const e = m.expected.diabetes;
    // The playground's editor: select all, paste the request, send it to the local Azure profile only.
    await page.getByTestId('playground-editor-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify({ input_data: { columns: e.columns, data: e.rows } }));
    await page.getByTestId('target-local-mlflow').uncheck();
    await page.getByTestId('playground-send').click();
    await expect(page.getByTestId('playground')).toHaveAttribute('data-run', /^(done|error)$/);
    const azure = page.locator('[data-testid="target-result"][data-target="local:azureml"]');
    await expect(azure.getByTestId('target-status')).toHaveText('200 OK');
    const firstPrediction = /-?\d+\.\d+(e[-+]?\d+)?/.exec(e.azureml_body)![0];
    await expect(azure.getByTestId('target-body')).toContainText(firstPrediction);
    await expect(azure.getByTestId('target-engine')).toContainText(SYSTEM_PYTHON);
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'python-setting.png') });

    // Clear: back to discovery's own order, said in words.
    await python.clear.click();
    await expect(python.root).toHaveAttribute('data-setting', '');
    await expect(python.current).toContainText('python3 on PATH');
    await expect(python.inUse).not.toContainText('from the Python interpreter setting');
  } finally {
    // The browser host (and its settings) is shared by the worker's other specs: leave no setting behind.
    if (await python.clear.isEnabled().catch(() => false)) await python.clear.click();
  }
});
