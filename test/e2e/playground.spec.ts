import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { fixture, sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * The payload playground end to end on the bundled sample model (10 double columns): fill from the input example,
 * validated as you see it; run local Azure and local MLflow side by side and read the verdict; break a value and see
 * the inline mark and each server's refusal; switch formats; all at 1600 and 1024 px wide.
 */

const DIABETES_COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

/** The playground as a user sees it; the selectors live here, not in the test bodies. */
class Playground {
  readonly root: Locator;
  readonly editor: Locator;
  readonly status: Locator;
  readonly verdict: Locator;
  readonly results: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('playground');
    this.editor = page.getByTestId('playground-editor-content');
    this.status = page.getByTestId('validation-status');
    this.verdict = page.getByTestId('verdict-sentence');
    this.results = page.getByTestId('target-result');
  }
  async open(): Promise<void> {
    await this.page.getByTestId('tab-playground').click();
    await expect(this.page.getByTestId('tab-playground')).toHaveAttribute('aria-selected', 'true');
    await expect(this.root).toBeVisible();
  }
  /** Waits until the validation shown is the one for the current text. */
  async settled(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-validation', 'done');
  }
  async text(): Promise<string> {
    return this.editor.innerText();
  }
  /** Replaces the whole body the way a user would: select all, paste. */
  async replaceBody(text: string): Promise<void> {
    await this.editor.click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.insertText(text);
  }
  async send(): Promise<void> {
    await this.page.getByTestId('playground-send').click();
    await expect(this.root).toHaveAttribute('data-run', /^(done|error)$/);
  }
  result(name: string): Locator {
    return this.page.locator(`[data-testid="target-result"][data-target="${name}"]`);
  }
  /** Nothing sticks out sideways and the Send button is on screen. */
  async fitsWidth(): Promise<void> {
    const width = this.page.viewportSize()!.width;
    expect(await this.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    const box = (await this.page.getByTestId('playground-send').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(width);
  }
}

/** The main pane scrolls, not the page: bring `focus` into view, then save what the user sees. */
async function shot(page: Page, name: string, focus?: Locator): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  if (focus) await focus.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
}

for (const width of [1600, 1024]) {
  test(`the playground at ${width} px: fill, compare local Azure and MLflow, break a value, switch formats`, async ({ models, app }) => {
    await app.page.setViewportSize({ width, height: 900 });
    await models.expectModel(sampleModelDir, 'sample-model');
    const pg = new Playground(app.page);
    await pg.open();

    // Filled from the model's input example in Azure's form, validated as soon as it is shown.
    await app.page.getByTestId('fill-example').click();
    await pg.settled();
    expect(await pg.text()).toContain('"input_data"');
    await expect(app.page.getByTestId('format-select')).toHaveValue('azureml');
    await expect(pg.status).toHaveText('200 — the model is called');
    const columns = app.page.getByTestId('receives-column');
    await expect(columns).toHaveCount(10);
    expect(await columns.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')))).toEqual(DIABETES_COLUMNS);
    expect(new Set(await columns.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-dtype'))))).toEqual(new Set(['float64']));
    // Which MLflow is emulated, and why: the sample model pins mlflow==2.16.2 in its requirements.
    await expect(app.page.getByTestId('emulated-version')).toContainText('MLflow 2.16.2');
    await expect(pg.root).toHaveAttribute('data-marks', '0');

    // Local Azure and local MLflow side by side, and the verdict on top.
    await pg.send();
    await expect(pg.verdict).toContainText('Same predictions within 1e-6');
    await expect(pg.verdict).toContainText('local:azureml returns a bare list of records, local:mlflow wraps it in {"predictions": …}');
    await expect(app.page.getByTestId('verdict')).toHaveAttribute('data-kind', 'agree');
    await expect(pg.results).toHaveCount(2);
    await expect(pg.result('local:azureml').getByTestId('target-status')).toHaveText('200 OK');
    await expect(pg.result('local:mlflow').getByTestId('target-status')).toHaveText('200 OK');
    await expect(pg.result('local:azureml').getByTestId('target-body')).toContainText(/"variable": -?\d+\.\d+/);
    await expect(pg.result('local:mlflow').getByTestId('target-body')).toContainText('"predictions"');
    await expect(pg.result('local:mlflow').getByTestId('target-latency')).toHaveText(/\d+(\.\d)? ms/);
    // The exact bytes each got: MLflow's request was converted to its own form.
    await pg.result('local:mlflow').getByTestId('target-sent').locator('summary').click();
    await expect(pg.result('local:mlflow').getByTestId('target-sent')).toContainText('converted from Azure ML input_data (split) to MLflow dataframe_split');
    await expect(pg.result('local:mlflow').getByTestId('target-sent-body')).toContainText('{"dataframe_split": {"columns": ["age"');
    // Exact text: Python's own formatting, one line.
    await app.page.getByTestId('exact-text').check();
    await expect(pg.result('local:mlflow').getByTestId('target-body')).toContainText('{"predictions": [{"variable": ');
    await pg.fitsWidth();
    await shot(app.page, `playground-agree-${width}.png`, app.page.getByTestId('verdict'));

    // Break a value: the engine's refusal is marked inline where the bad value is.
    const sample = await pg.text();
    const firstNumber = /-?\d+\.\d+/.exec(sample)![0];
    await pg.replaceBody(sample.replace(firstNumber, '"not a number"'));
    await pg.settled();
    await expect(pg.status).toHaveText('500 — rejected');
    await expect(pg.root).not.toHaveAttribute('data-marks', '0');
    await app.page.keyboard.press('Control+Home');
    await expect(app.page.locator('.cm-lintRange-error')).toContainText('"not a number"');
    await expect(app.page.getByTestId('editor-problems')).toContainText('not a number');
    await shot(app.page, `playground-mark-${width}.png`);
    // Both servers refuse it, each its own way; Azure's real error is pulled to the top.
    await app.page.keyboard.press('Control+Enter');
    await expect(pg.root).toHaveAttribute('data-run', 'done');
    await expect(pg.result('local:azureml')).toHaveAttribute('data-status', '500');
    await expect(pg.result('local:azureml').getByTestId('target-root-cause')).toContainText('not a number');
    await expect(pg.result('local:azureml').getByTestId('target-server-log')).toContainText('not a number');
    await expect(pg.result('local:mlflow')).toHaveAttribute('data-status', '400');
    await expect(pg.verdict).toContainText('local:azureml answers 500');
    await pg.fitsWidth();
    await shot(app.page, `playground-broken-${width}.png`, app.page.getByTestId('verdict'));

    // Switch formats through the engine: MLflow records, then CSV, then back to Azure.
    await app.page.getByTestId('fill-example').click();
    await pg.settled();
    await app.page.getByTestId('format-select').selectOption('dataframe_records');
    await expect(pg.editor).toContainText('"dataframe_records"');
    await pg.settled();
    await expect(pg.status).toHaveText('200 — the model is called');
    await expect(app.page.getByTestId('validation')).toContainText("checked by MLflow's rules");
    await app.page.getByTestId('format-select').selectOption('csv');
    // the conversion is asynchronous and the records' validation still reads "done" until it lands: wait for the text
    await expect.poll(async () => (await pg.text()).split('\n')[0]).toBe(DIABETES_COLUMNS.join(','));
    await pg.settled();
    await expect(pg.status).toHaveText('200 — the model is called');
    // The command palette switches formats too (Ctrl+Shift+P, type, Enter).
    await app.page.keyboard.press('Control+Shift+P');
    await app.page.getByTestId('command-palette-input').fill('format azure');
    await expect(app.page.getByTestId('command')).toHaveCount(1);
    await app.page.keyboard.press('Enter');
    await expect(app.page.getByTestId('command-palette')).toHaveCount(0);
    await pg.settled();
    expect(await pg.text()).toContain('"input_data"');
    await expect(app.page.getByTestId('format-select')).toHaveValue('azureml');
    await expect(pg.status).toHaveText('200 — the model is called');
    await shot(app.page, `playground-formats-${width}.png`);
  });
}

test('the playground: a URL target (a local MLflow server) beside the local profiles, and column completion', async ({ models, app }) => {
  await models.expectModel(sampleModelDir, 'sample-model');
  const pg = new Playground(app.page);
  await pg.open();
  await app.page.getByTestId('fill-example').click();
  await pg.settled();

  // Completion of the signature's column names inside a string.
  await pg.editor.click();
  await app.page.keyboard.press('Control+End');
  await app.page.keyboard.type('"s');
  await expect(app.page.locator('.cm-tooltip-autocomplete')).toContainText('"s6"');
  await expect(app.page.locator('.cm-tooltip-autocomplete')).toContainText('"sex"');
  await app.page.keyboard.press('Escape');
  // the typed text is the user's: filling over it asks first
  await app.page.getByTestId('fill-example').click();
  await app.page.getByTestId('replace-confirm').click();
  await pg.settled();

  // A real server that speaks for MLflow: Preflight's own, started from the local runner under the playground.
  await app.page.getByTestId('run-server-mlflow').click();
  await app.page.getByTestId('server-start').click();
  await expect(app.page.getByTestId('server-panel')).toHaveAttribute('data-running', 'true');
  const base = (await app.page.getByTestId('server-url').textContent())!.replace(/\/(invocations|score)$/, '');
  expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await app.page.getByTestId('add-url-target').click();
  const row = app.page.getByTestId('url-target');
  await row.getByRole('combobox').selectOption('mlflow');
  await row.getByRole('textbox').fill(`${base}/invocations`);

  await pg.send();
  await expect(pg.results).toHaveCount(3);
  await expect(pg.verdict).toContainText(`All 3 targets give the same predictions within 1e-6; local:azureml returns a bare list of records, local:mlflow and mlflow:${base}/invocations wrap it in {"predictions": …} of records.`);
  const url = pg.result(`mlflow:${base}/invocations`);
  await expect(url.getByTestId('target-status')).toHaveText('200 OK');
  await url.getByTestId('target-sent').locator('summary').click();
  await expect(url.getByTestId('target-sent')).toContainText('converted from Azure ML input_data (split) to MLflow dataframe_split');
  // The URL was asked which MLflow it runs (the forms follow it), and the card says so.
  await expect(url.getByTestId('target-sent')).toContainText("GET /version (sent with this request's headers): this server runs MLflow 2.16.2, so the body is written in the forms MLflow 2.16.2 reads.");
  // Copy as curl: the exact bytes sent, to the same URL.
  await expect(url.getByTestId('copy-as-text')).toContainText(`curl -sS -X POST '${base}/invocations'`);
  await expect(url.getByTestId('copy-as-text')).toContainText(`--data-binary '{"dataframe_split": {"columns": ["age"`);
  await url.getByTestId('copy-as-python').click();
  await expect(url.getByTestId('copy-as-text')).toContainText('requests.post(');
  await shot(app.page, 'playground-three-targets.png', app.page.getByTestId('verdict'));

  // History: the run is kept (searchable by its target's URL), and Open puts its body and targets back.
  await app.page.getByTestId('history').locator('summary').click();
  await app.page.getByTestId('history-search').fill(base);
  await expect(app.page.getByTestId('history-entry')).toHaveCount(1);
  await expect(app.page.getByTestId('history-entry')).toHaveAttribute('data-agree', 'true');
  await row.getByRole('button', { name: 'Remove target' }).click();
  await expect(app.page.getByTestId('url-target')).toHaveCount(0);
  await pg.replaceBody('{"input_data": "changed"}');
  await app.page.getByTestId('history-open').click();
  // the typed body would be lost: asked first
  await expect(app.page.getByTestId('replace-what')).toContainText('from the history');
  await app.page.getByTestId('replace-confirm').click();
  await expect(app.page.getByTestId('url-target')).toHaveCount(1);
  await expect(app.page.getByTestId('url-target').getByRole('textbox')).toHaveValue(`${base}/invocations`);
  await pg.settled();
  expect(await pg.text()).toContain('"columns"');
  await expect(pg.status).toHaveText('200 — the model is called');

  await app.page.getByTestId('server-stop').click();
  await expect(app.page.getByTestId('server-panel')).toHaveAttribute('data-running', 'false');
});

test('the playground: another MLflow version than the pin — what its servers answer — and back to the pin', async ({ models, app }) => {
  await app.page.setViewportSize({ width: 1024, height: 900 });
  await models.expectModel(sampleModelDir, 'sample-model');
  const pg = new Playground(app.page);
  await pg.open();
  await app.page.getByTestId('fill-example').click();
  await pg.settled();
  const field = app.page.getByTestId('mlflow-version');
  await expect(field).toHaveAttribute('placeholder', '2.16.2 (pin)');

  await field.fill('two');
  await field.press('Enter');
  await expect(app.page.getByTestId('mlflow-version-error')).toContainText('"two" is not an MLflow version');

  // The sample model's signature was written by MLflow 2.16.2 ("required"): 2.7.1 cannot load it, so neither server starts.
  await field.fill('2.7.1');
  await field.press('Enter');
  await expect(app.page.getByTestId('mlflow-version-error')).toHaveCount(0);
  await expect(app.page.getByTestId('emulated-version')).toContainText('MLflow 2.7.1 · 2.7 behaviour · from your override');
  await pg.settled();
  await expect(pg.status).toHaveText('No answer — the deployment does not start');
  await pg.fitsWidth();
  await shot(app.page, 'playground-mlflow-version-1024.png', pg.root);
  await pg.send();
  await expect(pg.result('local:azureml')).toContainText('the deployment never starts');
  await expect(pg.result('local:mlflow')).toContainText('2.7.1');

  // Empty: the model's pin again, and its answer.
  await field.fill('');
  await field.press('Enter');
  await expect(app.page.getByTestId('emulated-version')).toContainText('MLflow 2.16.2');
  await pg.settled();
  await expect(pg.status).toHaveText('200 — the model is called');
  await pg.send();
  await expect(pg.verdict).toContainText('Same predictions within 1e-6');
});

test('the playground: a second model opened from the path bar gets its own sample request, and the first keeps its edit', async ({ models, app }) => {
  await models.expectModel(sampleModelDir, 'sample-model');
  const pg = new Playground(app.page);
  await pg.open();
  await pg.settled();
  await pg.replaceBody(JSON.stringify({ input_data: { columns: DIABETES_COLUMNS, data: [[0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]] } }));
  await pg.settled();

  const taxi = fixture('mlflow-models', 'azureml-examples-nyc-taxi-regression');
  await models.open(taxi);
  await models.expectModel(taxi, 'azureml-examples-nyc-taxi-regression');
  await pg.open();
  await pg.settled();
  // its sample, made from its signature (it has no input example), in Azure's form — not an empty editor
  expect(await pg.text()).toContain('"input_data"');
  expect(await pg.text()).toContain('pickup_latitude');
  await expect(app.page.getByTestId('format-select')).toHaveValue('azureml');
  await expect(pg.status).toHaveText('200 — the model is called');

  await models.open(sampleModelDir);
  await models.expectModel(sampleModelDir, 'sample-model');
  await pg.open();
  await pg.settled();
  expect(await pg.text()).toContain('0.5');
});
