/**
 * A corrupted-file corpus through the real services (issue 12 "Done when"): CSV inputs through batch
 * jobs, MLmodel and model.onnx inside model folders through inspection, and corrupted ONNX models run
 * through the runner's isolated ONNX worker. Every case is made from a valid file by seeded mutations
 * (test/support/corrupt-files.ts). Each must answer within 10 s, never crash this process, and every
 * failure must be an AppError whose message names the file (or a failed batch summary, with summary.json).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/shared/errors';
import { ModelReportSchema } from '../../src/shared/mlflow/model-report';
import { BatchService } from '../../src/main/services/batch/batch-service';
import { ModelService } from '../../src/main/services/model/model-service';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { bundleFileWorker, bundleOnnxWorker } from '../support/worker-bundle';
import { corruptCorpus } from '../support/corrupt-files';
import { sampleModelDir } from '../support/paths';
import { diabetesCsv } from '../support/valid-files';

let dir: string;
let onnxWorker: string;
let fileWorker: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-hostile-files-'));
  onnxWorker = await bundleOnnxWorker(join(dir, 'onnx-worker.js'));
  fileWorker = await bundleFileWorker(join(dir, 'file-worker.js'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T | unknown; threw: boolean; ms: number }> {
  const t0 = performance.now();
  try {
    return { value: await fn(), threw: false, ms: performance.now() - t0 };
  } catch (err) {
    return { value: err, threw: true, ms: performance.now() - t0 };
  }
}

describe('corrupted CSV files in batch jobs', () => {
  it('each job succeeds or fails with the file named, a summary.json, and no predictions file', async () => {
    const batch = new BatchService({ onnxWorkerPath: onnxWorker, fileWorkerPath: fileWorker, progressIntervalMs: 0 });
    const valid = new TextEncoder().encode(diabetesCsv(60));
    let failed = 0;
    try {
      for (const c of corruptCorpus(valid, 40, 31_000)) {
        const input = join(dir, `csv-${c.seed}.csv`);
        writeFileSync(input, c.bytes);
        const outDir = join(dir, `csv-out-${c.seed}`);
        const r = await timed(() => batch.run({ modelPath: sampleModelDir, input, outDir, chunkRows: 16 }));
        expect(r.ms, `seed ${c.seed}`).toBeLessThan(10_000);
        expect(r.threw, `seed ${c.seed}: ${String((r.value as Error)?.message)}`).toBe(false);
        const s = r.value as Awaited<ReturnType<BatchService['run']>>;
        expect(existsSync(join(outDir, 'summary.json'))).toBe(true);
        if (s.status === 'failed') {
          failed++;
          expect(s.error!.message, `seed ${c.seed}`).toContain(`Error processing input file: '${input}'`);
          expect(s.error!.file).toBe(`csv-${c.seed}.csv`);
          expect(existsSync(join(outDir, 'predictions.csv'))).toBe(false);
        } else {
          expect(s.status).toBe('succeeded');
          const lines = readFileSync(join(outDir, 'predictions.csv'), 'utf8').trimEnd().split('\n');
          expect(lines.length - 1).toBe(s.rows);
        }
      }
    } finally {
      await batch.dispose();
    }
    expect(failed).toBeGreaterThan(5);
  }, 120_000);
});

describe('corrupted MLmodel and model.onnx in model folders', () => {
  const models = new ModelService();

  for (const file of ['MLmodel', 'model.onnx'] as const) {
    it(`inspecting a folder with a corrupted ${file}: a report naming the problem, or a clear error`, async () => {
      const valid = readFileSync(join(sampleModelDir, file));
      let problems = 0;
      for (const c of corruptCorpus(valid, 60, file === 'MLmodel' ? 41_000 : 51_000)) {
        const folder = join(dir, `${file}-${c.seed}`);
        mkdirSync(folder);
        cpSync(sampleModelDir, folder, { recursive: true });
        writeFileSync(join(folder, file), c.bytes);
        const r = await timed(() => models.inspect(folder));
        expect(r.ms, `seed ${c.seed}`).toBeLessThan(10_000);
        if (r.threw) {
          expect(isAppError(r.value), `seed ${c.seed}: ${String(r.value)}`).toBe(true);
          expect((r.value as Error).message, `seed ${c.seed}`).toContain(file === 'MLmodel' ? 'MLmodel' : 'model.onnx');
          problems++;
        } else {
          const report = ModelReportSchema.parse(JSON.parse(JSON.stringify(r.value)));
          const named = report.problems.filter((p) => p.file.endsWith(file) || p.message.includes(file));
          if (named.length) problems++;
          for (const p of named) expect(p.message.length).toBeGreaterThan(20);
        }
        rmSync(folder, { recursive: true, force: true });
      }
      expect(problems).toBeGreaterThan(20);
    }, 120_000);
  }
});

describe('corrupted ONNX models run through the isolated worker', () => {
  it('a prediction is an answer or a clear error, and the app process survives every one', async () => {
    const runner = new RunnerService({ onnxWorkerPath: onnxWorker });
    const valid = readFileSync(join(sampleModelDir, 'model.onnx'));
    const body = readFileSync(join(sampleModelDir, 'serving_input_example.json'), 'utf8');
    try {
      for (const c of corruptCorpus(valid, 20, 61_000)) {
        const folder = join(dir, `run-${c.seed}`);
        mkdirSync(folder);
        cpSync(sampleModelDir, folder, { recursive: true });
        writeFileSync(join(folder, 'model.onnx'), c.bytes);
        const r = await timed(() => runner.predict({ modelPath: folder, body, server: 'mlflow', contentType: 'application/json' }));
        expect(r.ms, `seed ${c.seed}`).toBeLessThan(10_000);
        if (r.threw) {
          expect(isAppError(r.value), `seed ${c.seed}: ${String(r.value)}`).toBe(true);
          expect((r.value as Error).message, `seed ${c.seed}`).toMatch(/model\.onnx|MLmodel|model/);
        } else expect((r.value as { status: number }).status).toBeGreaterThanOrEqual(200);
        rmSync(folder, { recursive: true, force: true });
      }
    } finally {
      await runner.dispose();
    }
  }, 240_000);
});
