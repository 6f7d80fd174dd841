/**
 * `preflight batch` end to end on real files in temp dirs: the bundled diabetes ONNX model through the
 * real onnxruntime worker (CSV in three chunks, parquet written with hyparquet-writer, folders with a
 * nested folder and an unsupported file, a bad value, cancel), and bounded memory on 200 000 rows.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchService } from '../../src/main/services/batch/batch-service';
import type { BatchProgress } from '../../src/main/services/batch/batch-types';
import { bundleFileWorker, bundleOnnxWorker } from '../support/worker-bundle';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { parseCsvFrame, parseCsvRows } from '../../src/shared/mlflow/payload/csv';
import { sampleModelDir } from '../support/paths';

const COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

let dir: string;
let workerPath: string;
let batch: BatchService;

/** Deterministic pseudo-random feature rows in the diabetes data's range. */
function rows(n: number, seed = 1): number[][] {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.round(((s / 2147483648) * 0.2 - 0.1) * 1e6) / 1e6;
  };
  return Array.from({ length: n }, () => COLUMNS.map(() => next()));
}

function writeCsv(path: string, data: number[][]): void {
  writeFileSync(path, `${COLUMNS.join(',')}\n${data.map((r) => r.join(',')).join('\n')}\n`);
}

function readPredictions(path: string): { header: string[]; rows: string[][] } {
  const all = parseCsvRows(readFileSync(path, 'utf8'));
  return { header: all[0]!, rows: all.slice(1) };
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

const fresh = (name: string): string => {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-batch-'));
  workerPath = await bundleOnnxWorker(join(dir, 'onnx-worker.js'));
  batch = new BatchService({ onnxWorkerPath: workerPath, fileWorkerPath: await bundleFileWorker(join(dir, 'file-worker.js')), progressIntervalMs: 0 });
}, 60_000);

afterAll(async () => {
  await batch?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('batch: diabetes ONNX model', () => {
  it('scores a 25 000-row CSV in 3 chunks and writes the same predictions a single request gets', async () => {
    const data = rows(25_000);
    const input = join(fresh('in-25k'), 'diabetes.csv');
    writeCsv(input, data);
    const outDir = join(dir, 'out-25k');
    const events: BatchProgress[] = [];
    const s = await batch.run({ modelPath: sampleModelDir, input, outDir }, { onProgress: (p) => events.push(p) });
    expect(s.status).toBe('succeeded');
    expect(s.rows).toBe(25_000);
    expect(s.engine).toBe('onnx');
    expect(s.predictionsPath).toBe(join(outDir, 'predictions.csv'));
    // one progress event per chunk: 10 000, 20 000, 25 000 rows
    expect(events.filter((e) => e.file === 'diabetes.csv').map((e) => e.rowsDone)).toEqual([0, 10_000, 20_000, 25_000]);
    expect(events.at(-1)).toMatchObject({ rowsDone: 25_000, rowsTotal: null, filesDone: 1, filesTotal: 1, file: null });

    const out = readPredictions(s.predictionsPath!);
    expect(out.header).toEqual(['row', 'prediction', 'file_name']);
    expect(out.rows).toHaveLength(25_000);
    expect(out.rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: 25_000 }, (_, k) => k));
    expect(new Set(out.rows.map((r) => r[2]))).toEqual(new Set(['diabetes.csv']));

    const runner = new RunnerService({ onnxWorkerPath: workerPath });
    try {
      const r = await runner.predict({ modelPath: sampleModelDir, body: JSON.stringify({ dataframe_split: { columns: COLUMNS, data } }), contentType: 'application/json', server: 'mlflow' });
      expect(r.status).toBe(200);
      const expected = (r.body as { predictions: { variable: number }[] }).predictions.map((p) => p.variable);
      expect(expected).toHaveLength(25_000);
      // float32 outputs: the CSV keeps numpy's shortest float32 digits, which read back as the same float32
      out.rows.forEach((row, k) => expect(Math.fround(Number(row[1]))).toBe(Math.fround(expected[k]!)));
    } finally {
      runner.dispose();
    }
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'succeeded', rows: 25_000, files: [{ file: 'diabetes.csv', rows: 25_000, status: 'succeeded', error: null }] });
  }, 120_000);

  it('reads a parquet file written with hyparquet-writer and knows its row total up front', async () => {
    const data = rows(1_500, 7);
    const inDir = fresh('in-parquet');
    parquetWriteFile({ filename: join(inDir, 'part.parquet'), columnData: COLUMNS.map((name, c) => ({ name, data: data.map((r) => r[c]!), type: 'DOUBLE' as const })), rowGroupSize: 400 });
    writeCsv(join(fresh('in-parquet-csv'), 'same.csv'), data);
    const events: BatchProgress[] = [];
    const p = await batch.run({ modelPath: sampleModelDir, input: join(inDir, 'part.parquet'), outDir: join(dir, 'out-parquet'), chunkRows: 1000 }, { onProgress: (e) => events.push(e) });
    const c = await batch.run({ modelPath: sampleModelDir, input: join(dir, 'in-parquet-csv', 'same.csv'), outDir: join(dir, 'out-parquet-csv') });
    expect(p.status).toBe('succeeded');
    expect(events.every((e) => e.rowsTotal === 1_500)).toBe(true);
    const fromParquet = readPredictions(p.predictionsPath!).rows.map((r) => r[1]);
    const fromCsv = readPredictions(c.predictionsPath!).rows.map((r) => r[1]);
    expect(fromParquet).toHaveLength(1_500);
    expect(fromParquet).toEqual(fromCsv);
  }, 60_000);

  it('scores every file of a folder, ignores nested folders with a note, and names each row\'s file', async () => {
    const inDir = fresh('in-folder');
    writeCsv(join(inDir, 'a.csv'), rows(3, 2));
    writeCsv(join(inDir, 'b.csv'), rows(2, 3));
    mkdirSync(join(inDir, 'nested'));
    writeCsv(join(inDir, 'nested', 'c.csv'), rows(5, 4));
    const s = await batch.run({ modelPath: sampleModelDir, input: inDir, outDir: join(dir, 'out-folder'), outputFileName: 'scores.csv' });
    expect(s.status).toBe('succeeded');
    expect(s.files.map((f) => [f.file, f.rows])).toEqual([['a.csv', 3], ['b.csv', 2]]);
    expect(s.notes.join(' ')).toMatch(/Nested folders are not read.*'nested' ignored/);
    const out = readPredictions(join(dir, 'out-folder', 'scores.csv'));
    expect(out.rows.map((r) => [r[0], r[2]])).toEqual([['0', 'a.csv'], ['1', 'a.csv'], ['2', 'a.csv'], ['0', 'b.csv'], ['1', 'b.csv']]);
  });

  it('fails the job with Azure\'s message for an unsupported file type and writes no predictions', async () => {
    const inDir = fresh('in-avro');
    writeCsv(join(inDir, 'a.csv'), rows(3));
    writeCsv(join(inDir, 'b.csv'), rows(3));
    writeFileSync(join(inDir, 'c.avro'), 'Obj\u0001');
    const outDir = join(dir, 'out-avro');
    const s = await batch.run({ modelPath: sampleModelDir, input: inDir, outDir });
    expect(s.status).toBe('failed');
    expect(s.error?.message).toContain("File type 'avro' is not supported");
    expect(s.error?.message).toContain(join(inDir, 'c.avro'));
    expect(existsSync(join(outDir, 'predictions.csv'))).toBe(false);
    expect(JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')).status).toBe('failed');
  });

  it('names the file, row, line and column of a value the signature cannot read', async () => {
    const inDir = fresh('in-bad');
    const data = rows(30, 5).map((r) => r.map(String));
    data[21]![2] = 'abc';
    writeFileSync(join(inDir, 'bad.csv'), `${COLUMNS.join(',')}\n${data.map((r) => r.join(',')).join('\n')}\n`);
    const outDir = join(dir, 'out-bad');
    const s = await batch.run({ modelPath: sampleModelDir, input: inDir, outDir, chunkRows: 8 });
    expect(s.status).toBe('failed');
    expect(s.error?.file).toBe('bad.csv');
    expect(s.error?.message).toBe(
      `Error processing input file: '${join(inDir, 'bad.csv')}'. Exception: could not convert string to float: 'abc' (row 21, line 23, column 'bmi'). No predictions.csv was written.`,
    );
    expect(s.files).toMatchObject([{ file: 'bad.csv', status: 'failed', rows: 16 }]);
    expect(readdirSync(outDir)).toEqual(['summary.json']);
  });

  it('summary_only writes the summary and no predictions file', async () => {
    const input = join(fresh('in-summary'), 'x.csv');
    writeCsv(input, rows(10));
    const outDir = join(dir, 'out-summary');
    const s = await batch.run({ modelPath: sampleModelDir, input, outDir, outputAction: 'summary_only' });
    expect(s).toMatchObject({ status: 'succeeded', rows: 10, predictionsPath: null });
    expect(readdirSync(outDir)).toEqual(['summary.json']);
  });

  it('a cancelled job leaves no predictions.csv and no temp file, and says so', async () => {
    const input = join(fresh('in-cancel'), 'big.csv');
    writeCsv(input, rows(60_000));
    const outDir = join(dir, 'out-cancel');
    const jobId = 'cancel-me';
    const s = await batch.run(
      { modelPath: sampleModelDir, input, outDir, chunkRows: 2_000 },
      { jobId, onProgress: (p) => { if (p.rowsDone >= 4_000) batch.cancel(jobId); } },
    );
    expect(s.status).toBe('cancelled');
    expect(s.rows).toBeGreaterThanOrEqual(4_000);
    expect(s.rows).toBeLessThan(60_000);
    expect(s.error?.message).toMatch(/cancelled after \d+ rows\. No predictions\.csv was written\./);
    expect(readdirSync(outDir)).toEqual(['summary.json']);
    expect(batch.running).toEqual([]);
  }, 60_000);

  it('processes a 200 000-row CSV with live heap growth well below the file\'s in-memory size', async () => {
    const input = join(fresh('in-200k'), 'big.csv');
    writeCsv(input, rows(200_000, 11));
    // The file as one (one-byte, ASCII) JS string; its DataFrame would take several times more.
    const inMemoryBytes = readFileSync(input).length;
    // Live memory, not garbage V8 has not collected yet: force a collection before each sample.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    let samples = 0;
    let collections = 0;
    const timer = setInterval(() => {
      samples++;
      // heapUsed counts garbage too, so it bounds the live heap from above: a full collection (tens of ms on this
      // process's heap, most of the test's CPU when forced on every sample) is needed only where that bound alone
      // would fail the check below. A sample fails exactly when it failed with a collection on every one.
      let used = process.memoryUsage().heapUsed;
      if (used - base >= inMemoryBytes / 2) {
        collections++;
        gc();
        used = process.memoryUsage().heapUsed;
      }
      peak = Math.max(peak, used);
    }, 20);
    try {
      const s = await batch.run({ modelPath: sampleModelDir, input, outDir: join(dir, 'out-200k'), outputAction: 'summary_only' });
      expect(s).toMatchObject({ status: 'succeeded', rows: 200_000 });
    } finally {
      clearInterval(timer);
    }
    const growth = peak - base;
    // The yardstick: the same file read whole, the way a non-chunked reader would hold it.
    gc();
    const before = process.memoryUsage().heapUsed;
    const whole = parseCsvFrame(readFileSync(input, 'utf8'), null);
    gc();
    const wholeBytes = process.memoryUsage().heapUsed - before;
    expect(whole.nrows).toBe(200_000);
    console.info(`batch 200k rows: file ${mb(inMemoryBytes)} MB, read whole ${mb(wholeBytes)} MB; batch peak heap growth at most ${mb(growth)} MB (live where it came near the limit) over ${samples} samples, ${collections} forced collections`);
    expect(samples).toBeGreaterThan(10);
    expect(wholeBytes).toBeGreaterThan(inMemoryBytes);
    expect(growth).toBeLessThan(inMemoryBytes / 2);
  }, 120_000);
});
