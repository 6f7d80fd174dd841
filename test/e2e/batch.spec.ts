import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * The Batch tab end to end on the bundled sample model: a generated CSV (3 chunks' worth of rows) scored from the
 * panel, progress reaching the total, the summary naming predictions.csv, and the file's Azure batch layout.
 */
const COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
const ROWS = 25_000;

test('the Batch tab scores a CSV into predictions.csv with progress and a summary', async ({ models, app }) => {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-batch-'));
  try {
    const lines = [COLUMNS.join(',')];
    for (let r = 0; r < ROWS; r++) lines.push(COLUMNS.map((_, c) => (((r * 7 + c * 13) % 100) / 1000 - 0.05).toFixed(4)).join(','));
    const input = join(dir, 'diabetes.csv');
    await writeFile(input, lines.join('\n') + '\n');
    const out = join(dir, 'out');

    await models.expectModel(sampleModelDir, 'sample-model');
    await app.page.getByTestId('tab-batch').click();
    await expect(app.page.getByTestId('batch-panel')).toBeVisible();
    await expect(app.page.getByTestId('batch-run')).toBeDisabled();
    await app.page.getByTestId('batch-input').fill(input);
    await app.page.getByTestId('batch-out').fill(out);
    await app.page.getByTestId('batch-run').click();

    const summary = app.page.getByTestId('batch-summary');
    await expect(summary).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
    await expect(summary).toContainText(`${ROWS} rows from 1 file`);
    await expect(app.page.getByTestId('batch-progress')).toHaveAttribute('data-rows-done', String(ROWS));
    await expect(app.page.getByTestId('batch-predictions-path')).toContainText(join(out, 'predictions.csv'));
    await expect(app.page.getByTestId('batch-run')).toBeEnabled();

    const written = (await readFile(join(out, 'predictions.csv'), 'utf8')).trimEnd().split('\n');
    expect(written[0]).toBe('row,prediction,file_name');
    expect(written).toHaveLength(ROWS + 1);
    expect(written[1]).toMatch(/^0,-?\d+(\.\d+)?(e[+-]\d+)?,diabetes\.csv$/);
    expect(written[ROWS]).toMatch(new RegExp(`^${ROWS - 1},`));

    await mkdir(screenshotDir, { recursive: true });
    await app.page.screenshot({ path: join(screenshotDir, 'batch.png'), fullPage: true });

    // A file type Azure's batch driver refuses fails the job with its message, and leaves no predictions file.
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'rows.avro'), 'not read');
    await app.page.getByTestId('batch-input').fill(bad);
    await app.page.getByTestId('batch-out').fill(join(dir, 'out-bad'));
    await app.page.getByTestId('batch-run').click();
    await expect(summary).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
    await expect(summary).toContainText("File type 'avro' is not supported");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the Batch tab asks before replacing a file Preflight did not write', async ({ models, app }) => {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-batch-ow-'));
  try {
    const input = join(dir, 'in.csv');
    await writeFile(input, `${COLUMNS.join(',')}\n${COLUMNS.map(() => '0.01').join(',')}\n`);
    const out = join(dir, 'out');
    await mkdir(out);
    await writeFile(join(out, 'predictions.csv'), 'my own notes\n');

    await models.expectModel(sampleModelDir, 'sample-model');
    await app.page.getByTestId('tab-batch').click();
    await app.page.getByTestId('batch-input').fill(input);
    await app.page.getByTestId('batch-out').fill(out);
    await app.page.getByTestId('batch-run').click();

    const confirm = app.page.getByTestId('batch-confirm-overwrite');
    await expect(confirm).toContainText(`${join(out, 'predictions.csv')} already exists and was not written by Preflight. Replace it with this job's output?`);
    await expect(confirm).not.toContainText('--overwrite');
    await app.page.getByTestId('batch-keep').click();
    await expect(confirm).toHaveCount(0);
    expect(await readFile(join(out, 'predictions.csv'), 'utf8')).toBe('my own notes\n');

    await app.page.getByTestId('batch-run').click();
    await app.page.getByTestId('batch-overwrite').click();
    await expect(app.page.getByTestId('batch-summary')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
    expect(await readFile(join(out, 'predictions.csv'), 'utf8')).toMatch(/^row,prediction,file_name\n0,/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
