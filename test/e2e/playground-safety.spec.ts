import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * What a user must not lose or be misled by in the playground: text typed in the editor survives a Fill / Open (they
 * are asked first, and Ctrl+Z brings replaced text back), so do the targets and headers they typed (asked first, back
 * with "Undo replace"), a request saved for another model says so when opened,
 * and a refused request's body is shown where the sentence says it is.
 */

const COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
const editor = (page: Page) => page.getByTestId('playground-editor-content');

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, name) });
}

async function openPlayground(page: Page): Promise<void> {
  await page.getByTestId('tab-playground').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
}

/** Select all and type over it, as a user replaces the body. */
async function typeBody(page: Page, text: string): Promise<void> {
  await editor(page).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
}

test('typed text survives Fill from input example: asked first, kept on "Keep", back with Ctrl+Z after "Replace"', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await openPlayground(page);
  // the example as loaded: filling again asks nothing
  await page.getByTestId('fill-example').click();
  await expect(page.getByTestId('replace-dialog')).toHaveCount(0);

  await typeBody(page, JSON.stringify({ input_data: { columns: COLUMNS, data: [[0.777, 0, 0, 0, 0, 0, 0, 0, 0, 0]] } }));
  await page.getByTestId('fill-example').click();
  await expect(page.getByTestId('replace-dialog')).toBeVisible();
  await expect(page.getByTestId('replace-what')).toHaveText('Fill from input example');
  await shot(page, 'playground-replace-question.png');
  await page.getByTestId('replace-keep').click();
  await expect(page.getByTestId('replace-dialog')).toHaveCount(0);
  await expect(editor(page)).toContainText('0.777');

  // Escape keeps it too (the default answer)
  await page.getByTestId('fill-example').click();
  await expect(page.getByTestId('replace-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('replace-dialog')).toHaveCount(0);
  await expect(editor(page)).toContainText('0.777');

  await page.getByTestId('fill-example').click();
  await page.getByTestId('replace-confirm').click();
  await expect(editor(page)).not.toContainText('0.777');
  await expect(editor(page)).toContainText('"input_data"');
  // the replaced text is one undo step away
  await editor(page).click();
  await page.keyboard.press('Control+Z');
  await expect(editor(page)).toContainText('0.777');
  await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
});

test('a saved request records its model; one saved for another model says so when opened, an old file opens as before', async ({ models, app }) => {
  const page = app.page;
  const dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-saved-for-'));
  try {
    await models.expectModel(sampleModelDir, 'sample-model');
    await openPlayground(page);
    await page.getByTestId('collections').locator('summary').click();
    await page.getByTestId('collection-folder').fill(dir);
    await page.getByTestId('collection-name').fill('mine');
    await page.getByTestId('collection-save').click();
    await expect(page.getByTestId('collection-message')).toHaveText('Saved mine.request.json.');
    const mine = await readFile(join(dir, 'mine.request.json'), 'utf8');
    expect(mine).toContain('  "model": {\n    "folder": "sample-model",\n    "modelUuid": "d4c2a07b9f1e4b6c8a35e0f2b7c19d53",\n    "signature": "fnv1a64:');

    const body = ['{', '  "dataframe_split": {', '    "columns": ["sepal_length"],', '    "data": [[5.1]]', '  }', '}'];
    const file = (name: string, model: object | null) =>
      `${JSON.stringify({ format: 'preflight-request', version: 1, name, contentType: 'application/json', targets: [{ kind: 'local', server: 'mlflow' }], headers: [], tolerance: { abs: 1e-6, rel: 1e-6 }, ...(model ? { model } : {}), body }, null, 2)}\n`;
    await writeFile(join(dir, 'iris.request.json'), file('for iris', { folder: 'iris-model', modelUuid: '0000', signature: 'fnv1a64:0000000000000000' }));
    await writeFile(join(dir, 'old.request.json'), file('old', null));
    await page.getByTestId('collection-load').click();
    await expect(page.getByTestId('collection-entry')).toHaveCount(3);
    const iris = page.locator('[data-testid="collection-entry"][data-file="iris.request.json"]');
    await expect(iris.getByTestId('collection-other-model')).toHaveText('(saved for iris-model)');
    await expect(page.locator('[data-testid="collection-entry"][data-file="mine.request.json"]').getByTestId('collection-other-model')).toHaveCount(0);

    await iris.getByTestId('collection-open').click();
    const note = page.getByTestId('saved-for-note');
    await expect(note).toHaveText('Saved for another model, "iris-model" (model_uuid 0000), whose signature differs from this one\'s: validation errors may come from that, not from the body.');
    await expect(page.getByTestId('collection-message')).toContainText('Opened "for iris". Saved for another model, "iris-model"');
    await expect(editor(page)).toContainText('sepal_length');
    await shot(page, 'playground-saved-for-another-model.png');
    await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');

    // a file written before the model was recorded: opens, no note (the opened text was loaded, so no question either)
    await page.locator('[data-testid="collection-entry"][data-file="old.request.json"]').getByTestId('collection-open').click();
    await expect(page.getByTestId('collection-message')).toHaveText('Opened "old".');
    await expect(note).toHaveCount(0);
    await expect(page.getByTestId('replace-dialog')).toHaveCount(0);

    // typed text, then Open: asked; "Keep mine" leaves the editor and says the file was not opened
    await typeBody(page, '{"dataframe_split": {"columns": ["age"], "data": [[0.888]]}}');
    await page.locator('[data-testid="collection-entry"][data-file="mine.request.json"]').getByTestId('collection-open').click();
    await expect(page.getByTestId('replace-what')).toHaveText('Open "mine"');
    await page.getByTestId('replace-keep').click();
    await expect(page.getByTestId('collection-message')).toHaveText('"mine" was not opened: your text, targets and headers were kept as they are.');
    await expect(editor(page)).toContainText('0.888');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a typed URL target and header survive Open: asked first (Enter keeps them), replaced on "Replace", back with "Undo replace"', async ({ models, app }) => {
  const page = app.page;
  const dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-lost-targets-'));
  try {
    const body = ['{', '  "input_data": {', `    "columns": ${JSON.stringify(COLUMNS)},`, '    "data": [[0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]]', '  }', '}'];
    const team = { format: 'preflight-request', version: 1, name: 'team smoke', contentType: 'application/json', targets: [{ kind: 'local', server: 'mlflow' }, { kind: 'url', server: 'azureml', url: 'https://team.example.com/score' }], headers: [{ name: 'x-team', value: 'blue' }], tolerance: { abs: 1e-6, rel: 1e-6 }, body };
    await writeFile(join(dir, 'team-smoke.request.json'), `${JSON.stringify(team, null, 2)}\n`);
    await models.expectModel(sampleModelDir, 'sample-model');
    await openPlayground(page);

    // the user's own target and header (the editor holds the example as loaded: only these are at stake)
    await page.getByTestId('add-url-target').click();
    const url = page.getByTestId('url-target').getByLabel('Target URL');
    await url.fill('https://mine.example.com/score');
    await page.getByRole('button', { name: '+ header for URL targets' }).click();
    await page.getByLabel('Header name').fill('X-Trace');
    await page.getByLabel('Header value').fill('trace-1');

    await page.getByTestId('collections').locator('summary').click();
    await page.getByTestId('collection-folder').fill(dir);
    await page.getByTestId('collection-load').click();
    const open = page.locator('[data-testid="collection-entry"][data-file="team-smoke.request.json"]').getByTestId('collection-open');
    await open.click();
    await expect(page.getByTestId('replace-title')).toHaveText('Replace your targets and headers?');
    await expect(page.getByTestId('replace-what')).toHaveText('Open "team smoke"');
    await expect(page.getByTestId('replace-part-targets')).toHaveText('targets you changed: azureml:https://mine.example.com/score');
    await expect(page.getByTestId('replace-part-headers')).toHaveText('headers you typed: X-Trace');
    await expect(page.getByTestId('replace-part-text')).toHaveCount(0);
    await expect(page.getByTestId('replace-dialog')).not.toContainText('trace-1');
    await shot(page, 'playground-replace-targets-question.png');
    // "Keep mine" is the default: a stray Enter keeps everything
    await expect(page.getByTestId('replace-keep')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('replace-dialog')).toHaveCount(0);
    await expect(page.getByTestId('collection-message')).toHaveText('"team smoke" was not opened: your text, targets and headers were kept as they are.');
    await expect(url).toHaveValue('https://mine.example.com/score');
    await expect(page.getByLabel('Header name')).toHaveValue('X-Trace');
    await expect(page.getByLabel('Header value')).toHaveValue('trace-1');
    await expect(page.getByTestId('target-local-azureml')).toBeChecked();

    await open.click();
    await page.getByTestId('replace-confirm').click();
    await expect(page.getByTestId('collection-message')).toHaveText('Opened "team smoke".');
    await expect(url).toHaveValue('https://team.example.com/score');
    await expect(page.getByLabel('Header name')).toHaveValue('x-team');
    await expect(page.getByTestId('target-local-azureml')).not.toBeChecked();
    const note = page.getByTestId('replaced-note');
    await expect(note.getByTestId('replaced-text')).toHaveText('Open "team smoke" replaced your targets (azureml:https://mine.example.com/score) and headers (X-Trace).');
    await expect(note).toBeInViewport();
    await shot(page, 'playground-replaced-undo.png');

    await note.getByTestId('replace-undo').click();
    await expect(note).toHaveCount(0);
    await expect(url).toHaveValue('https://mine.example.com/score');
    await expect(page.getByLabel('Header name')).toHaveValue('X-Trace');
    await expect(page.getByLabel('Header value')).toHaveValue('trace-1');
    await expect(page.getByTestId('target-local-azureml')).toBeChecked();
    // back as the user's own, unsaved: opening again asks again
    await open.click();
    await expect(page.getByTestId('replace-part-headers')).toHaveText('headers you typed: X-Trace');
    await page.getByTestId('replace-keep').click();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a refused request: the validation panel shows the exact body the server answers, and the log it speaks of', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await openPlayground(page);
  // MLflow's form, a column missing: MLflow answers 400 with its JSON error body
  await typeBody(page, JSON.stringify({ dataframe_split: { columns: COLUMNS.slice(1), data: [[0, 0, 0, 0, 0, 0, 0, 0, 0]] } }));
  await expect(page.getByTestId('validation-status')).toHaveText('400 — rejected');
  await expect(page.getByTestId('validation-detail')).toHaveText('The server answers with the body below.');
  const body = page.getByTestId('validation-body');
  await expect(body).toContainText('400 response body (exact bytes)');
  // Python's json.dumps spacing, one line (the message's newlines escaped), as the server writes it
  await expect(body.locator('pre')).toHaveText(/^\{"error_code": "INVALID_PARAMETER_VALUE", "message": "Failed to predict data .*\\nError: .*Model is missing inputs \['age'\]\."\}$/);
  await expect(body.getByRole('button', { name: 'Copy' })).toBeVisible();
  await body.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(page, 'playground-validation-body.png');

  // Azure's form, a value that is not a number: Azure's generic 500 body, the real error in the log shown under it
  await typeBody(page, JSON.stringify({ input_data: { columns: COLUMNS, data: [['x', 0, 0, 0, 0, 0, 0, 0, 0, 0]] } }));
  await expect(page.getByTestId('validation-status')).toHaveText('500 — rejected');
  await expect(page.getByTestId('validation-detail')).toContainText('the generic body below; the real error is only in its deployment log (below it)');
  await expect(body.locator('pre')).not.toBeEmpty();
  await expect(page.getByTestId('validation-server-log')).toContainText('x');
});

test('the History search takes a hostile query as plain text: pattern syntax, a paste of thousands of characters', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await openPlayground(page);
  await page.getByTestId('playground-send').click();
  await expect(page.getByTestId('playground')).toHaveAttribute('data-run', 'done');
  const history = page.getByTestId('history');
  await history.locator('summary').click();
  const search = page.getByTestId('history-search');
  const entries = page.getByTestId('history-entry');
  // the specs of a worker share one user-data folder: earlier specs' runs may be listed too
  await expect(entries.first()).toBeVisible();

  // pattern syntax is text: nothing in the body reads ".*(a+)+$[" literally
  await search.fill('.*(a+)+$[');
  await expect(entries).toHaveCount(0);
  // matching none is said as such; the count in the title stays what the history keeps (not "0 runs kept")
  await expect(page.getByTestId('history-matches')).toHaveText(/^No run of the \d+ kept matches "\.\*\(a\+\)\+\$\["\.$/);
  await expect(history.locator('summary')).not.toContainText('(0 runs kept');
  // a paste longer than the host takes stops at the field's limit instead of coming back refused
  await search.fill(`${'(a|aa)*'.repeat(1000)}`);
  expect((await search.inputValue()).length).toBe(1000);
  await expect(entries).toHaveCount(0);
  await expect(history.locator('.text-error')).toHaveCount(0);
  // typed key by key, it keeps up; case does not matter
  await search.fill('');
  await search.pressSequentially('INPUT_DATA', { delay: 20 });
  await expect(entries.first()).toBeVisible();
});

test('text typed in the editor survives a reload of the page, and is still asked about before a Fill replaces it', async ({ models, app }) => {
  const page = app.page;
  await models.expectModel(sampleModelDir, 'sample-model');
  await openPlayground(page);
  const typed = JSON.stringify({ input_data: { columns: COLUMNS, data: [[0.4242, 0, 0, 0, 0, 0, 0, 0, 0, 0]] } });
  await typeBody(page, typed);
  // reloaded straight after typing: the last keystrokes are written on the way out, not only after the pause
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  await models.expectModel(sampleModelDir, 'sample-model');
  await openPlayground(page);
  await expect(editor(page)).toContainText('0.4242');
  await page.getByTestId('fill-example').click();
  await expect(page.getByTestId('replace-dialog')).toBeVisible();
  await page.getByTestId('replace-keep').click();
  await expect(editor(page)).toContainText('0.4242');
});
