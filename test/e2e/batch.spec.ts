import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { startBrowserHost } from './support/browser-host';
import { expect, launchChromium, test } from './support/fixtures';

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
    // A card like the other tabs'.
    await expect(app.page.getByTestId('batch-job')).toHaveClass(/\bcard\b/);
    await expect(app.page.getByTestId('batch-run')).toBeDisabled();
    await app.page.getByTestId('batch-input').fill(input);
    await app.page.getByTestId('batch-out').fill(out);
    await app.page.getByTestId('batch-run').click();

    const summary = app.page.getByTestId('batch-summary');
    await expect(summary).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
    await expect(app.page.getByTestId('batch-summary-title')).toHaveText('Batch job succeeded');
    await expect(summary).toContainText(`${ROWS.toLocaleString('en-US')} rows from 1 file`);
    await expect(app.page.getByTestId('batch-progress')).toHaveAttribute('data-rows-done', String(ROWS));
    await expect(app.page.getByTestId('batch-predictions-path')).toContainText(join(out, 'predictions.csv'));
    await expect(app.page.getByTestId('batch-run')).toBeEnabled();

    const written = (await readFile(join(out, 'predictions.csv'), 'utf8')).trimEnd().split('\n');
    expect(written[0]).toBe('row,prediction,file_name');
    expect(written).toHaveLength(ROWS + 1);
    expect(written[1]).toMatch(/^0,-?\d+(\.\d+)?(e[+-]\d+)?,diabetes\.csv$/);
    expect(written[ROWS]).toMatch(new RegExp(`^${ROWS - 1},`));

    // The first predictions, as written to the file.
    const preview = app.page.getByTestId('batch-preview');
    await expect(preview.locator('tbody tr')).toHaveCount(10);
    const [row0, prediction0, file0] = written[1]!.split(',');
    await expect(preview.locator('tbody tr').first().locator('td')).toHaveText([row0!, prediction0!, file0!]);

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
    // Shown as a failure: its own title, the error colour, announced, and no predictions to preview.
    await expect(app.page.getByTestId('batch-summary-title')).toHaveText('Batch job failed');
    await expect(summary).toHaveClass(/batch-summary-failed/);
    await expect(summary).toHaveAttribute('role', 'alert');
    await expect(app.page.getByTestId('batch-error')).toContainText("File type 'avro' is not supported");
    await expect(app.page.getByTestId('batch-preview-card')).toHaveCount(0);
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

test('the progress bar moves within one big CSV, with rows per second and the time left', async ({ models, app }) => {
  test.setTimeout(120_000);
  const dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-batch-big-'));
  try {
    // One file whose rows are not known up front: progress comes from the bytes read.
    const rows = 200_000;
    const lines = [COLUMNS.join(',')];
    for (let r = 0; r < rows; r++) lines.push(COLUMNS.map((_, c) => (((r * 7 + c * 13) % 100) / 1000 - 0.05).toFixed(4)).join(','));
    const input = join(dir, 'big.csv');
    await writeFile(input, lines.join('\n') + '\n');

    await models.expectModel(sampleModelDir, 'sample-model');
    await app.page.getByTestId('tab-batch').click();
    await app.page.getByTestId('batch-input').fill(input);
    await app.page.getByTestId('batch-out').fill(join(dir, 'out'));
    // Record every state the bar shows while the job runs.
    // (A script string: this project type-checks without the DOM library.)
    await app.page.evaluate(`(() => {
      const seen = (window.__batchSeen = []);
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="batch-progress"]');
        if (!bar) return;
        seen.push({
          fraction: Number(bar.getAttribute('data-fraction')),
          rate: document.querySelector('[data-testid="batch-rate"]')?.textContent ?? null,
          eta: document.querySelector('[data-testid="batch-eta"]')?.textContent ?? null,
        });
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    await app.page.getByTestId('batch-run').click();
    await expect(app.page.getByTestId('batch-summary')).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
    await expect(app.page.getByTestId('batch-progress')).toHaveAttribute('data-fraction', '1.0000');

    const seen = (await app.page.evaluate('window.__batchSeen')) as { fraction: number; rate: string | null; eta: string | null }[];
    const within = seen.filter((s) => s.fraction > 0 && s.fraction < 1);
    expect(new Set(within.map((s) => s.fraction)).size, `fractions seen: ${seen.map((s) => s.fraction).join(' ')}`).toBeGreaterThanOrEqual(2);
    expect(within.some((s) => /^[\d,.]+ rows\/s$/.test(s.rate ?? ''))).toBe(true);
    expect(within.some((s) => /^about \d+(\.\d)? (s|min|h) left$/.test(s.eta ?? ''))).toBe(true);
    await expect(app.page.getByTestId('batch-rate')).toHaveText(/rows\/s$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('Browse… fills the input and output folders from the host\'s folder dialog, and the job runs on them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-batch-browse-'));
  // A host of its own whose (scripted) folder dialog answers with these two folders, so the shared host's pick stays for models.spec.
  const inputDir = join(dir, 'inputs');
  const outDir = join(dir, 'results');
  await mkdir(inputDir);
  await mkdir(outDir);
  await writeFile(join(inputDir, 'a.csv'), `${COLUMNS.join(',')}\n${COLUMNS.map(() => '0.01').join(',')}\n${COLUMNS.map(() => '0.02').join(',')}\n`);
  const host = await startBrowserHost({ model: sampleModelDir, dialogPaths: [inputDir, outDir] });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(host.url);
    await expect(page.getByTestId('model-name')).toHaveText('sample-model');
    await page.getByTestId('tab-batch').click();
    await page.getByTestId('batch-browse-input').click();
    await expect(page.getByTestId('batch-input')).toHaveValue(inputDir);
    await page.getByTestId('batch-browse-out').click();
    await expect(page.getByTestId('batch-out')).toHaveValue(outDir);
    await page.getByTestId('batch-run').click();
    await expect(page.getByTestId('batch-summary')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
    await expect(page.getByTestId('batch-preview').locator('tbody tr')).toHaveCount(2);
    expect((await readFile(join(outDir, 'predictions.csv'), 'utf8')).split('\n')[0]).toBe('row,prediction,file_name');
  } finally {
    await browser.close();
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
