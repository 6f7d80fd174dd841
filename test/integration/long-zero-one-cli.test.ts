/**
 * MLflow 2.16.1+ lets an int64 column of only 0/1 values through for a double column (mlflow/mlflow 208c7b9,
 * docs/fidelity.md). On Azure that decides real requests: the scoring script casts each request to the
 * input example's dtypes, so an example that writes `sex` as 1/0 makes the column int64. End to end on a copy
 * of the bundled ONNX sample (pins mlflow==2.16.2): `predict`, `serve` (real HTTP) and `validate` agree, and
 * `--mlflow-version 2.16.0` turns the same request into Azure's generic 500.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type ScoringServer } from '../../src/main/services/server/scoring-server';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { repoRoot, sampleModelDir } from '../support/paths';

const GENERIC = '{"message": "An unexpected error occurred in scoring script. Check the logs for more info."}';
let tmp: string;
let worker: string;
let model: string;
let runner: RunnerService;
let rows: number[][];
const servers: ScoringServer[] = [];

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: repoRoot, signal: new AbortController().signal, log: silentLogger,
    env: { ...process.env, PREFLIGHT_ONNX_WORKER: worker, PREFLIGHT_USER_DATA: join(tmp, 'user-data') },
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A request whose `sex` column (index 1) holds the given values, the other columns the sample's own floats. */
async function body(name: string, sex: number[]): Promise<{ file: string; text: string }> {
  const text = JSON.stringify({ input_data: { columns: ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'], data: sex.map((s, k) => rows[k]!.map((v, c) => (c === 1 ? s : v))) } });
  const file = join(tmp, `${name}.json`);
  await writeFile(file, text);
  return { file, text };
}

async function score(server: ScoringServer, text: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}/score`, { method: 'POST', body: text, headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` } });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-long01-'));
  worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
  runner = new RunnerService({ onnxWorkerPath: worker });
  model = join(tmp, 'sex-as-int');
  await cp(sampleModelDir, model, { recursive: true });
  const example = JSON.parse(await readFile(join(model, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  rows = example.data;
  // `sex` written as 1 and 0: pandas reads an int64 column, and Azure casts every request to it.
  const data = example.data.map((r, k) => `[${r.map((v, c) => (c === 1 ? String(k === 0 ? 1 : 0) : String(v))).join(', ')}]`);
  await writeFile(join(model, 'input_example.json'), `{"columns": ${JSON.stringify(example.columns)}, "data": [${data.join(', ')}]}`);
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  runner?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

describe('int64 of 0/1 for a double column on Azure: the pinned 2.16.2 accepts it, 2.16.0 does not', () => {
  it('predict: 200 with the predictions the float example gives for 1.0/0.0; 2 is refused; --mlflow-version 2.16.0 refuses 1/0', async () => {
    const zeroOne = await body('zero-one', [1, 0]);
    const r = await cli('predict', model, zeroOne.file, '--server', 'azureml', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { status: number; body_text: string };
    expect(out.status).toBe(200);
    // The original sample (float example, no int64 cast) scoring sex = 1.0, 0.0: the model saw the same floats.
    const floats = await cli('predict', sampleModelDir, zeroOne.file, '--server', 'azureml', '--json');
    expect((JSON.parse(floats.stdout) as { body_text: string }).body_text).toBe(out.body_text);
    expect(out.body_text).toMatch(/^\[\{"variable": -?\d/);

    const two = await cli('predict', model, (await body('two', [2, 0])).file, '--server', 'azureml', '--json');
    expect(two.code).toBe(1);
    expect(JSON.parse(two.stdout)).toMatchObject({ status: 500, body_text: GENERIC });

    const old = await cli('predict', model, zeroOne.file, '--server', 'azureml', '--mlflow-version', '2.16.0', '--json');
    expect(old.code).toBe(1);
    expect(JSON.parse(old.stdout)).toMatchObject({ status: 500, body_text: GENERIC });
  });

  it('serve answers what predict answers, per emulated version (real HTTP)', async () => {
    const pinned = await startScoringServer({ modelPath: model, server: 'azureml', runner });
    servers.push(pinned);
    const old = await startScoringServer({ modelPath: model, server: 'azureml', runner, mlflowVersion: '2.16.0' });
    servers.push(old);
    expect(pinned.mlflowVersion).toBe('2.16.2');
    const zeroOne = await body('serve-zero-one', [1, 0]);
    const predicted = JSON.parse((await cli('predict', model, zeroOne.file, '--server', 'azureml', '--json')).stdout) as { body_text: string };
    expect(await score(pinned, zeroOne.text)).toEqual({ status: 200, text: predicted.body_text });
    expect(await score(old, zeroOne.text)).toEqual({ status: 500, text: GENERIC });
    expect(await score(pinned, (await body('serve-two', [1, 2])).text)).toEqual({ status: 500, text: GENERIC });
  });

  it('validate says the same, with the refusal in server_log', async () => {
    const zeroOne = await body('validate-zero-one', [0, 1]);
    const ok = await cli('validate', model, zeroOne.file, '--json');
    expect(ok.code, ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 200, mlflow_version: { version: '2.16.2' } });
    const old = await cli('validate', model, zeroOne.file, '--mlflow-version', '2.16.0', '--json');
    expect(old.code).toBe(1);
    const v = JSON.parse(old.stdout) as { status: number; server_log: string };
    expect(v.status).toBe(500);
    expect(v.server_log).toContain('Incompatible input types for column sex. Can not safely convert int64 to float64.');
  });

  it('inspect: the readiness finding says the same as the engine (0/1 only, naming 2.16.2)', async () => {
    const r = await cli('inspect', model, '--json');
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: { code: string; evidence: string }[] }).findings;
    const f = findings.find((x) => x.code === 'input-example-overrides-signature');
    expect(f?.evidence).toContain('`sex`: signature double (float64), example gives int64: requests are cast to int64 (1.5 → 1, 0.7 → 0) and MLflow 2.16.2 rejects the column unless every value is then 0 or 1');
  });
});
