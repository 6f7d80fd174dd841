import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensorType } from '../src/main/services/model/onnx/onnx-types';
import { RunnerService } from '../src/main/services/runner/runner-service';
import { writeOnnxFlavorMLmodel } from '../test/support/onnx-models';
import { doubleTensor, writeOnnxModel } from '../test/support/onnx-writer';
import { measure, median, ratioLine, type Bench, type BenchResult } from './harness';

/**
 * `preflight predict` on 1 000 000 rows of a 2-column `dataframe_split` (26 MB of JSON) through the runner the CLI
 * uses — the payload engine on the preparation thread, the feeds to the ONNX worker process, MLflow's answer text
 * written back — against the least any server does with that body in this process: JSON.parse, the two columns
 * into one Float64Array, the same linear model, JSON.stringify of a {"predictions": [{"y": …}]} per row.
 * It took 26-29 s and 860 MB before predict stopped reading its own answer back as JSON (a million objects);
 * Python's json.loads + pandas.DataFrame of the same body take about 3 s, MLflow's whole answer about 8 s.
 * Measured on a loaded 2-core box: ratio 1.15 (4.2 s against 3.7 s); the process's RSS grew 286 MiB, 11× the body
 * (JSON.parse of the body alone holds 68 MB of heap, the preparation thread's isolate ~40 MB, the columns, the feeds
 * and the answer text the rest); targets 3 and 16 leave room for a noisy machine, not for a copy of the body's rows.
 */

const ROWS = 1_000_000;
const here = dirname(fileURLToPath(import.meta.url));
/** bench/run.js lives in out/node/bench; the workers beside the CLI, one level up. */
const WORKERS = join(here, '..');

function makeBody(): string {
  let seed = 7;
  const rnd = (): string => (((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2).toFixed(8);
  const rows: string[] = new Array(ROWS);
  for (let r = 0; r < ROWS; r++) rows[r] = `[${rnd()}, ${rnd()}]`;
  return `{"dataframe_split": {"columns": ["a", "b"], "data": [${rows.join(', ')}]}}`;
}

/** y = 0.5·a − 2·b, as an MLflow ONNX model with a two-column signature. */
async function writeModel(dir: string): Promise<void> {
  await writeOnnxModel(join(dir, 'model.onnx'), {
    opsetImports: [{ domain: '', version: 13 }],
    graph: {
      name: 'lin2',
      nodes: [{ opType: 'MatMul', inputs: ['input', 'w'], outputs: ['y'] }],
      initializers: [doubleTensor('w', [2, 1], [0.5, -2])],
      inputs: [{ name: 'input', type: tensorType('double', [-1, 2]) }],
      outputs: [{ name: 'y', type: tensorType('double', [-1, 1]) }],
    },
  });
  const column = (name: string) => ({ type: 'double', name, required: true });
  await writeOnnxFlavorMLmodel(dir, { mlflowVersion: '2.12.2', inputs: [column('a'), column('b')], outputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float64', shape: [-1, 1] } }] });
}

function baseline(body: string): string {
  const data = (JSON.parse(body) as { dataframe_split: { data: number[][] } }).dataframe_split.data;
  const x = new Float64Array(data.length * 2);
  for (let r = 0; r < data.length; r++) {
    x[2 * r] = data[r]![0]!;
    x[2 * r + 1] = data[r]![1]!;
  }
  const predictions = new Array<{ y: number }>(data.length);
  for (let r = 0; r < data.length; r++) predictions[r] = { y: 0.5 * x[2 * r]! - 2 * x[2 * r + 1]! };
  return JSON.stringify({ predictions });
}

export async function run(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-bench-million-'));
  const runner = new RunnerService({ onnxWorkerPath: join(WORKERS, 'onnx-worker.js'), prepareWorkerPath: join(WORKERS, 'prepare-worker.js') });
  try {
    await writeModel(dir);
    const body = makeBody();
    const predict = async () => {
      const r = await runner.predict({ modelPath: dir, body, contentType: 'application/json', server: 'mlflow', mlflowVersion: null }, { view: false });
      if (r.status !== 200 || !r.body_text.startsWith('{"predictions": [{"y": ')) throw new Error(`predict-million: the model did not answer 200: ${r.status} ${r.body_text.slice(0, 300)}`);
      return r;
    };
    // Peak RSS of this process (the preparation thread is in it; the ONNX worker process is not) over one predict.
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    await predict();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    // Two runs each, interleaved so a load that comes and goes weighs on both (a run is seconds: about 8 s in all on
    // a quiet machine).
    const oursMs: number[] = [];
    const baseMs: number[] = [];
    for (let round = 0; round < 2; round++) {
      oursMs.push(await measure('predict', predict, { iterations: 1, warmup: 0 }));
      baseMs.push(await measure('parse+stringify', () => baseline(body), { iterations: 1, warmup: 0 }));
    }
    const ours = median(oursMs);
    const base = median(baseMs);
    const time = ratioLine('predict-million time', ours, base, 3, { value: 'predict', baseline: 'parse+stringify' });
    const mem = ratioLine('predict-million memory', (peak - before) / 2 ** 20, body.length / 2 ** 20, 16, { value: 'rss', baseline: 'body', unit: 'MiB' });
    return { ...time, pass: time.pass && mem.pass, line: `${time.line}\n${mem.line}` };
  } finally {
    await runner.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const predictMillionBench: Bench = { name: 'predict-million', run };
