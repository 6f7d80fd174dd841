import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sampleModelDir } from '../support/paths';
import { screenshotDir } from './support/app-paths';
import { expect, test } from './support/fixtures';

/**
 * Replay in the playground: a whole CSV through local Azure, local MLflow and a teammate's MLflow server (a proxy
 * in front of Preflight's own MLflow server that answers some rows 0.5 higher), in chunks, with the progress, then
 * the agreement chart, the latency histogram and the worst rows — at 1600 and 1024 px wide.
 */

const ROWS = 1000;
const MARK = '0.05';
/** Rows whose `sex` is MARK (answered differently by the proxy); one row has a value no server reads. */
const marked = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % 9 === 4);
const BAD_ROW = 250;

let dir: string;
let csv: string;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-e2e-replay-'));
  const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  const lines = [example.columns.join(',')];
  for (let i = 0; i < ROWS; i++) {
    const row: (number | string)[] = example.data[i % example.data.length]!.map((v, c) => (c === 0 ? v + i / 10_000 : v));
    if (marked.includes(i)) row[1] = MARK;
    if (i === BAD_ROW) row[2] = 'abc';
    lines.push(row.join(','));
  }
  csv = join(dir, 'replay.csv');
  await writeFile(csv, `${lines.join('\n')}\n`);
});

test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A teammate's server: forwards to `upstream` and adds 0.5 to the prediction of every row whose `sex` is MARK. */
async function distortingProxy(upstream: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const up = request(upstream, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'application/json' } }, (ur) => {
        let answer = '';
        ur.on('data', (c: Buffer) => (answer += c.toString()));
        ur.on('end', () => {
          if (ur.statusCode === 200) {
            const rows = body.trim().split('\n').slice(1).map((l) => l.split(','));
            const parsed = JSON.parse(answer) as { predictions: { variable: number }[] };
            parsed.predictions.forEach((p, i) => {
              if (rows[i]?.[1] === MARK) p.variable += 0.5;
            });
            answer = JSON.stringify(parsed);
          }
          res.writeHead(ur.statusCode ?? 502, { 'content-type': 'application/json' });
          res.end(answer);
        });
      });
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/invocations`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.getByTestId('replay').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
}

for (const width of [1600, 1024]) {
  test(`replay a CSV through three targets at ${width} px: progress, agreement chart, latency histogram, worst rows`, async ({ models, app }) => {
    const page = app.page;
    await page.setViewportSize({ width, height: 900 });
    await models.expectModel(sampleModelDir, 'sample-model');
    await page.getByTestId('tab-playground').click();
    await expect(page.getByTestId('playground')).toBeVisible();
    await page.getByTestId('fill-example').click();
    await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');

    await page.getByTestId('run-server-mlflow').click();
    await page.getByTestId('server-start').click();
    await expect(page.getByTestId('server-panel')).toHaveAttribute('data-running', 'true');
    const upstream = (await page.getByTestId('server-url').textContent())!;
    const proxy = await distortingProxy(upstream);
    try {
      await page.getByTestId('add-url-target').click();
      const row = page.getByTestId('url-target');
      await row.getByRole('combobox').selectOption('mlflow');
      await row.getByRole('textbox').fill(proxy.url);

      await page.getByTestId('replay-csv').fill(csv);
      // Fill N rows from the CSV: the editor keeps its form (Azure's input_data) and the model receives those rows.
      await page.getByTestId('fill-rows').fill('3');
      await page.getByTestId('fill-from-csv').click();
      await expect(page.getByTestId('fill-note')).toHaveText('Filled 3 rows from the CSV.');
      await expect(page.getByTestId('format-select')).toHaveValue('azureml');
      await expect(page.getByTestId('playground')).toHaveAttribute('data-validation', 'done');
      await expect(page.getByTestId('validation')).toContainText('3 rows × 10 columns');
      await page.getByTestId('replay-rows').fill('10');
      await page.getByTestId('replay-run').click();
      // The progress moves within the file: rows, rows/s and an ETA while it runs.
      await expect(page.getByTestId('replay-progress')).toContainText(/\d+ of ~\d+ rows · \d+ rows\/s · ETA/);
      await expect(page.getByTestId('replay-summary')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });

      const unanswered = 10; // the chunk holding the bad row: every server refuses it
      const differ = marked.filter((i) => Math.floor(i / 10) !== Math.floor(BAD_ROW / 10)).length;
      const agree = ROWS - differ - unanswered;
      await expect(page.getByTestId('replay-sentence')).toContainText(`${agree} of ${ROWS} rows agree within 1e-6`);
      await expect(page.getByTestId('replay-sentence')).toContainText(`${differ} differ (worst: row `);
      await expect(page.getByTestId('replay-sentence')).toContainText(`${unanswered} got no prediction from some target`);
      const chart = page.getByTestId('agreement-chart');
      await expect(chart).toContainText(`of ${ROWS} rows agree`);
      await expect(page.getByTestId('agreement-agree')).toContainText(`agree: ${agree}`);
      await expect(page.getByTestId('agreement-differ')).toContainText(`differ: ${differ}`);
      await expect(page.getByTestId('agreement-unanswered')).toContainText(`no prediction: ${unanswered}`);
      // The bar's segments are as wide as their share of the rows.
      const widths = await chart.locator('rect[data-part]').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
      expect(widths[0]! / 600).toBeCloseTo(agree / ROWS, 3);
      expect(widths[1]! / 600).toBeCloseTo(differ / ROWS, 3);
      // One histogram series per target, each counting its 40 requests.
      const histogram = page.getByTestId('latency-histogram');
      await expect(histogram).toContainText('local:azureml: p50');
      await expect(histogram).toContainText(`mlflow:${proxy.url}: p50`);
      for (const s of [0, 1, 2]) {
        const counts = await histogram.locator(`rect[data-series="${s}"]`).evaluateAll((rs) => rs.map((r) => Number(/: (\d+) request/.exec(r.textContent ?? '')![1])));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(ROWS / 10);
      }
      // The worst rows are the rows the proxy changed, with their CSV line and input.
      const worst = page.getByTestId('replay-worst-row');
      await expect(worst).toHaveCount(20);
      const rowsShown = await worst.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-row'))));
      for (const r of rowsShown) expect(marked).toContain(r);
      await expect(worst.first()).toContainText('differs by 0.5');
      await expect(worst.first()).toContainText(`,${MARK},`);
      // The bad row's refusal is explained with the rows it covered.
      await expect(page.getByTestId('replay-summary')).toContainText('local:azureml: 1 refused');

      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      // Readable at both widths: the fill button says all it does, the worst rows' output and values stay on one line,
      // and the histogram's axis text is drawn at real size (not a 600-wide drawing shrunk into the panel).
      await expect(page.getByTestId('fill-from-csv')).toHaveText('Fill the editor');
      expect(await page.getByTestId('fill-from-csv').evaluate((b) => b.scrollWidth <= b.clientWidth)).toBe(true);
      const lineHeights = await worst.first().locator('td').evaluateAll((tds) => tds.slice(0, 6).map((td) => Math.round(td.getBoundingClientRect().height)));
      expect(Math.max(...lineHeights), `cells on one line: ${lineHeights.join(', ')}`).toBeLessThan(30);
      const axisPx = await histogram.locator('text.pg-axis').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().height));
      expect(Math.min(...axisPx)).toBeGreaterThanOrEqual(11);
      await shot(page, `playground-replay-${width}.png`);
      await page.getByTestId('replay-worst-rows').screenshot({ path: join(screenshotDir, `playground-replay-worst-rows-${width}.png`) });
    } finally {
      await proxy.close();
      await page.getByTestId('server-stop').click();
    }
  });
}

test('a CSV path that does not exist: the replay says so and what to check, with no empty charts', async ({ models, app }) => {
  const page = app.page;
  await page.setViewportSize({ width: 1024, height: 900 });
  await models.expectModel(sampleModelDir, 'sample-model');
  await page.getByTestId('tab-playground').click();
  const missing = join(dir, 'no-such-rows.csv');
  await page.getByTestId('replay-csv').fill(missing);
  await page.getByTestId('replay-run').click();
  const summary = page.getByTestId('replay-summary');
  await expect(summary).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('replay-sentence')).toHaveText(`The replay did not start: There is no file ${missing}: check the path (a CSV file with a header row naming the columns).`);
  await expect(summary.getByTestId('agreement-chart')).toHaveCount(0);
  await expect(summary).not.toContainText('No latencies');
});
