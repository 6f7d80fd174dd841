/**
 * `serve --server azureml` (the real scoring server over HTTP, the ONNX engine) on copies of the repo's
 * sample model whose MLmodel is changed the way MLflow itself writes it, for the Azure script branches
 * re-run with the real `mlflow_score_script.py` (docs/fidelity.md "Azure's scoring script"):
 * - an input example saved as a JSON object (`type: json_object`): a dict stops the script at import; a
 *   list leaves `input_data` to run()'s traditional parsing;
 * - an input_example.json MLmodel does not name: the script never reads it.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type ScoringServer } from '../../src/main/services/server/scoring-server';
import { sampleModelDir } from '../support/paths';

let tmp: string;
let runner: RunnerService;
let columns: string[];
let row: number[];
const servers: ScoringServer[] = [];

const GENERIC = 'An unexpected error occurred in scoring script. Check the logs for more info.';
const SAVED_INFO = /saved_input_example_info:\n(?: {2}.*\n)+/;

/** A copy of the sample model with `exampleInfo` in place of its saved_input_example_info block and `example` as input_example.json. */
async function variant(name: string, exampleInfo: string, example: unknown): Promise<string> {
  const dir = join(tmp, name);
  await cp(sampleModelDir, dir, { recursive: true });
  const mlmodel = await readFile(join(dir, 'MLmodel'), 'utf8');
  expect(mlmodel).toMatch(SAVED_INFO);
  await writeFile(join(dir, 'MLmodel'), mlmodel.replace(SAVED_INFO, exampleInfo));
  await writeFile(join(dir, 'input_example.json'), JSON.stringify(example));
  return dir;
}

async function serve(modelPath: string): Promise<ScoringServer> {
  const s = await startScoringServer({ modelPath, server: 'azureml', runner });
  servers.push(s);
  return s;
}

async function score(s: ScoringServer, inputData: unknown): Promise<{ status: number; preflightError: string | null; body: { message?: string } | unknown[] }> {
  const res = await fetch(`${s.url}/score`, { method: 'POST', body: JSON.stringify({ input_data: inputData }), headers: { 'content-type': 'application/json', authorization: `Bearer ${s.key}` } });
  return { status: res.status, preflightError: res.headers.get('x-preflight-error'), body: (await res.json()) as { message?: string } };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-azure-script-'));
  runner = new RunnerService({ onnxWorkerPath: await bundleOnnxWorker(join(tmp, 'onnx-worker.js')) });
  const ex = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  columns = ex.columns;
  row = ex.data[0]!;
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  runner?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

describe('serve --server azureml follows the real scoring script on the saved input example', () => {
  it('a JSON-object example holding a dict: the deployment would never start, so every request says so', async () => {
    const dict = Object.fromEntries(columns.map((c, k) => [c, [row[k]]]));
    const s = await serve(await variant('json-object-dict', 'saved_input_example_info:\n  artifact_path: input_example.json\n  type: json_object\n', dict));
    const r = await score(s, { columns, index: [0], data: [row] });
    expect(r.status).toBe(500);
    expect(r.preflightError).toBe('E_NOT_STARTED');
    expect((r.body as { message: string }).message).toContain('Invalid sample input provided, must provide a sample Numpy array.');
  });

  it('a JSON-object example holding a list: no parser from the example; a split dict needs "index" to become a DataFrame', async () => {
    const s = await serve(await variant('json-object-list', 'saved_input_example_info:\n  artifact_path: input_example.json\n  type: json_object\n', [row]));
    const withIndex = await score(s, { columns, index: [0], data: [row] });
    expect(withIndex.status, JSON.stringify(withIndex.body)).toBe(200);
    expect(withIndex.body).toHaveLength(1);
    // without "index" run() reads the dict as named tensors {columns: …, data: …}, which MLflow cannot cast
    const noIndex = await score(s, { columns, data: [row] });
    expect(noIndex).toMatchObject({ status: 500, preflightError: null, body: { message: GENERIC } });
  });

  it('an input_example.json MLmodel does not name is never read: the signature, not its int columns, types the request', async () => {
    const ints = { columns, data: [columns.map(() => 0)] };
    const unnamed = await serve(await variant('unreferenced', '', ints));
    const named = await serve(await variant('referenced-ints', 'saved_input_example_info:\n  artifact_path: input_example.json\n  pandas_orient: split\n  type: dataframe\n', ints));
    const request = { columns, index: [0], data: [columns.map(() => 2.5)] };
    expect((await score(unnamed, request)).status).toBe(200);
    // read, the example's int64 columns truncate 2.5 to 2 and MLflow refuses int64 for a double column
    expect(await score(named, request)).toMatchObject({ status: 500, body: { message: GENERIC } });
  });
});
