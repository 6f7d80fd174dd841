import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { fixture, sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * A data scientist's first walk through the local half of Preflight on the bundled sample model (and two of the
 * users' folders): a request with a wrong column says why it fails where they look (the verdict, the target's root
 * cause, the editor's problem list), CSV pasted into the editor is sent as CSV, a batch job over a folder whose first
 * file does not fit says where it stopped, and a model no MLflow server can load says so.
 */
const COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

async function replaceBody(page: Page, text: string): Promise<void> {
  await page.getByTestId('playground-editor-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

async function send(page: Page): Promise<void> {
  await page.getByTestId('playground-send').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-run', /^(done|error)$/);
}

const result = (page: Page, name: string): Locator => page.locator(`[data-testid="target-result"][data-target="${name}"]`);

async function shot(page: Page, name: string, focus?: Locator): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  if (focus) await focus.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(screenshotDir, name) });
}

for (const width of [1024, 1600]) {
  test(`at ${width} px: a wrong column is explained by its reason; pasted CSV is sent as CSV`, async ({ models, app }) => {
    const page = app.page;
    await page.setViewportSize({ width, height: 900 });
    await models.expectModel(sampleModelDir, 'sample-model');
    await page.getByTestId('tab-playground').click();
    await expect(page.getByTestId('playground')).toBeVisible();

    // s7 in place of s6: Azure's generic 500 hides MLflow's schema error, whose first line is only the head of the
    // DataFrame's repr; what the user needs is its end.
    const wrong = { input_data: { columns: [...COLUMNS.slice(0, 9), 's7'], data: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] } };
    await replaceBody(page, JSON.stringify(wrong));
    await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
    const reason = "Model is missing inputs ['s6']. Note that there were extra inputs: ['s7']";
    await expect(page.getByTestId('editor-problems')).toContainText(`500: mlflow.exceptions.MlflowException: Failed to enforce the signature: ${reason}`);
    await send(page);
    await expect(result(page, 'local:azureml').getByTestId('target-root-cause')).toContainText(`Failed to enforce the signature: ${reason}`);
    await expect(page.getByTestId('verdict-sentence')).toContainText(`local:azureml answers 500 (mlflow.exceptions.MlflowException: Failed to enforce the signature: ${reason})`);
    await shot(page, `walk-wrong-column-${width}.png`, page.getByTestId('verdict'));

    // CSV rows pasted over the JSON body: the switch shows CSV, MLflow's rules check it, both targets answer 200.
    await replaceBody(page, `${COLUMNS.join(',')}\n1,2,3,4,5,6,7,8,9,10\n`);
    await expect(page.getByTestId('format-select')).toHaveValue('csv');
    await expect(page.getByTestId('validation-status')).toHaveText('200 — the model is called');
    await send(page);
    await expect(result(page, 'local:azureml').getByTestId('target-status')).toHaveText('200 OK');
    await expect(result(page, 'local:mlflow').getByTestId('target-status')).toHaveText('200 OK');
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-kind', 'agree');
    await shot(page, `walk-pasted-csv-${width}.png`, page.getByTestId('verdict'));
  });
}

test('a batch job over a folder whose first file does not fit the signature says where it stopped', async ({ models, app }) => {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-walk-'));
  try {
    const input = join(dir, 'in');
    await mkdir(input);
    await writeFile(join(input, 'a-heart.csv'), 'age,sex,cp\n63,1,3\n');
    await writeFile(join(input, 'b-diabetes.csv'), `${COLUMNS.join(',')}\n1,2,3,4,5,6,7,8,9,10\n`);
    await writeFile(join(input, 'c-diabetes.csv'), `${COLUMNS.join(',')}\n1,2,3,4,5,6,7,8,9,10\n`);
    await models.expectModel(sampleModelDir, 'sample-model');
    await app.page.getByTestId('tab-batch').click();
    await app.page.getByTestId('batch-input').fill(input);
    await app.page.getByTestId('batch-out').fill(join(dir, 'out'));
    await app.page.getByTestId('batch-run').click();
    await expect(app.page.getByTestId('batch-summary')).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
    await expect(app.page.getByTestId('batch-error')).toContainText("Model is missing inputs ['bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6']");
    await expect(app.page.getByTestId('batch-progress')).toContainText('0 rows · failed at file 1 of 3 (a-heart.csv)');
    await shot(app.page, 'walk-batch-failed.png');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a model without the python_function flavor: the local runner says no MLflow server can load it', async ({ models, app }) => {
  const mleap = fixture('mlflow-models', 'mlflow-java-mleap-regression');
  await models.open(mleap);
  await app.page.getByTestId('tab-playground').click();
  await expect(app.page.getByTestId('run-environment')).toContainText('mlflow-java-mleap-regression has no python_function flavor (MLmodel flavors: mleap)');
  await expect(app.page.getByTestId('run-environment')).toContainText('Model does not have the "python_function" flavor');
});
