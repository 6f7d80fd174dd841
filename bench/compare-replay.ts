import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchService } from '../src/main/services/batch/batch-service';
import { CompareService } from '../src/main/services/compare/compare-service';
import { ReplayService } from '../src/main/services/compare/replay-service';
import { ModelService } from '../src/main/services/model/model-service';
import { PayloadService } from '../src/main/services/payload/payload-service';
import { RunnerService } from '../src/main/services/runner/runner-service';
import { ratioLine, type Bench, type BenchResult } from './harness';

/**
 * Issue 10 "Done when": replaying 100 000 rows through two local targets (the Azure ML and MLflow profiles) costs at
 * most 1.5× of `preflight batch` scoring the same rows twice (once per target) in the same run. Both read the CSV
 * in chunks of 10 000 rows (batch's default); the replay also converts each chunk to each server's form, reads it
 * back as that server would, writes each server's answer and compares the two answers row by row.
 */
const ROWS = 100_000;
const CHUNK = 10_000;
const here = dirname(fileURLToPath(import.meta.url));
const SAMPLE_MODEL = join(here, '..', '..', '..', 'resources', 'sample-model');
const WORKER = join(here, '..', 'onnx-worker.js');
const FILE_WORKER = join(here, '..', 'file-worker.js');

async function writeRows(path: string): Promise<void> {
  const example = JSON.parse(await readFile(join(SAMPLE_MODEL, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  const lines = [example.columns.join(',')];
  for (let i = 0; i < ROWS; i++) lines.push(example.data[i % example.data.length]!.map((v, c) => (c === 0 ? v + (i % 997) / 1e5 : v)).join(','));
  await writeFile(path, `${lines.join('\n')}\n`);
}

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

async function run(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-bench-replay-'));
  const batch = new BatchService({ onnxWorkerPath: WORKER, fileWorkerPath: FILE_WORKER });
  const runner = new RunnerService({ onnxWorkerPath: WORKER });
  try {
    const csv = join(dir, 'rows.csv');
    await writeRows(csv);
    const payload = new PayloadService(new ModelService());
    const replay = new ReplayService({ compare: new CompareService({ payload, runner }), payload });

    const batchTwice = async (): Promise<number> => {
      const start = process.hrtime.bigint();
      for (const out of ['a', 'b']) {
        const s = await batch.run({ modelPath: SAMPLE_MODEL, input: csv, outDir: join(dir, out), chunkRows: CHUNK });
        if (s.status !== 'succeeded' || s.rows !== ROWS) throw new Error(`batch ${s.status}: ${s.error?.message ?? `${s.rows} rows`}`);
      }
      return ms(start);
    };
    const replayOnce = async (): Promise<number> => {
      const start = process.hrtime.bigint();
      const s = await replay.run({
        modelPath: SAMPLE_MODEL,
        source: { kind: 'csv', path: csv },
        targets: [{ kind: 'local', server: 'azureml' }, { kind: 'local', server: 'mlflow' }],
        headers: [],
        tolerance: { abs: 1e-6, rel: 1e-6 },
        timeoutMs: 120_000,
        rowsPerRequest: CHUNK,
      });
      if (s.status !== 'completed' || s.agreeRows !== ROWS) throw new Error(`replay ${s.status}: ${s.sentence}`);
      return ms(start);
    };
    // Warm both (model load, worker start, JIT), then baseline, replay, baseline: machine load lands on both sides.
    await batchTwice();
    await replayOnce();
    const b1 = await batchTwice();
    const r1 = await replayOnce();
    const b2 = await batchTwice();
    return ratioLine('compare-replay', r1, Math.min(b1, b2), 1.5, { value: 'replay(2 targets)', baseline: 'batch×2' });
  } finally {
    await batch.dispose();
    await runner.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const compareReplayBench: Bench = { name: 'compare-replay', run };
