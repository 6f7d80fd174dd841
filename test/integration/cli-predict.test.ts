/**
 * `preflight predict` and `preflight serve` in-process (real worker process, real HTTP): `predict --json`
 * equals the local server's answer to the same request, exit codes follow ARCHITECTURE §5.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type ScoringServer } from '../../src/main/services/server/scoring-server';
import { fixture, repoRoot, sampleModelDir } from '../support/paths';

let tmp: string;
let worker: string;
let runner: RunnerService;
let azure: ScoringServer;
let mlflow: ScoringServer;
let example: { columns: string[]; data: number[][] };

function io(stdout: (t: string) => void, stderr: (t: string) => void, signal = new AbortController().signal): CliIo {
  return { stdout, stderr, env: { ...process.env, PREFLIGHT_ONNX_WORKER: worker, PREFLIGHT_USER_DATA: join(tmp, 'user-data') }, cwd: repoRoot, signal, log: silentLogger };
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, io((t) => (stdout += t), (t) => (stderr += t)));
  return { code, stdout, stderr };
}

async function bodyFile(name: string, body: string): Promise<string> {
  const p = join(tmp, name);
  await writeFile(p, body);
  return p;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-cli-predict-'));
  worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
  runner = new RunnerService({ onnxWorkerPath: worker });
  example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as typeof example;
  azure = await startScoringServer({ modelPath: sampleModelDir, server: 'azureml', runner });
  mlflow = await startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', runner });
}, 60_000);

afterAll(async () => {
  await azure?.close();
  await mlflow?.close();
  runner?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

interface PredictJson {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  body_text: string;
}

/** The server's answer, reduced to what `predict --json` reports (per-request headers dropped). */
async function serverAnswer(url: string, body: string, contentType: string, key: string | null): Promise<PredictJson> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType, ...(key ? { authorization: `Bearer ${key}` } : {}) } });
  const text = await res.text();
  const headers: Record<string, string> = {};
  for (const h of ['content-type', 'x-ms-run-function-failed']) {
    const v = res.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  return { status: res.status, headers, body: null, body_text: text };
}

describe('preflight predict --json equals the local server', () => {
  const cases: { name: string; server: 'azureml' | 'mlflow'; body: () => string; ct: string }[] = [
    { name: 'Azure, the input example', server: 'azureml', body: () => JSON.stringify({ input_data: example }), ct: 'application/json' },
    { name: 'Azure, a missing column (generic 500)', server: 'azureml', body: () => JSON.stringify({ input_data: { columns: example.columns.slice(2), data: example.data.map((r) => r.slice(2)) } }), ct: 'application/json' },
    { name: 'Azure, bad JSON', server: 'azureml', body: () => '{"input_data": [', ct: 'application/json' },
    { name: 'MLflow, dataframe_split', server: 'mlflow', body: () => JSON.stringify({ dataframe_split: example }), ct: 'application/json' },
    { name: 'MLflow, CSV', server: 'mlflow', body: () => `${example.columns.join(',')}\n${example.data.map((r) => r.join(',')).join('\n')}\n`, ct: 'text/csv' },
    { name: 'MLflow, wrong content type', server: 'mlflow', body: () => JSON.stringify({ dataframe_split: example }), ct: 'text/plain' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const file = await bodyFile(`${c.name.replace(/\W+/g, '-')}.body`, c.body());
      const r = await cli('predict', sampleModelDir, file, '--server', c.server, '--content-type', c.ct, '--json');
      const out = JSON.parse(r.stdout) as PredictJson;
      const s = c.server === 'azureml' ? azure : mlflow;
      const expected = await serverAnswer(`${s.url}${c.server === 'azureml' ? '/score' : '/invocations'}`, c.body(), c.ct, s.key);
      expect(out.status).toBe(expected.status);
      expect(out.body_text).toBe(expected.body_text);
      expect(out.headers).toEqual(expected.headers);
      expect(r.code).toBe(out.status >= 200 && out.status < 300 ? 0 : 1);
      if (out.headers['content-type'] === 'application/json') expect(out.body).toEqual(JSON.parse(out.body_text));
    });
  }

  it('MLflow 2.7.1 cannot load the sample model\'s signature ("required", written by 2.16.2): predict has no answer, serve answers every request that it would not start', async () => {
    const file = await bodyFile('split-271.body', JSON.stringify({ dataframe_split: example }));
    const why = "mlflow models serve cannot load the model (TypeError: ColSpec.__init__() got an unexpected keyword argument 'required', loading MLmodel's signature with MLflow 2.7.1): the server never starts, so no request gets an answer.";
    const r = await cli('predict', sampleModelDir, file, '--server', 'mlflow', '--mlflow-version', '2.7.1');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`no answer: ${why}\n`);
    const old = await startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', mlflowVersion: '2.7.1', runner });
    try {
      const res = await fetch(`${old.url}/invocations`, { method: 'POST', body: JSON.stringify({ dataframe_split: example }), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(500);
      expect(res.headers.get('x-preflight-error')).toBe('E_NOT_STARTED');
      expect(await res.json()).toEqual({ error_code: 'INTERNAL_ERROR', message: `The real mlflow models serve of this model would not start, so it would never answer: ${why}` });
    } finally {
      await old.close();
    }
  });

  it('preflight serve says at once when the real server would not start with the version asked for (and not on the pin)', async () => {
    const serve = async (...args: string[]): Promise<string> => {
      const stop = new AbortController();
      let stdout = '';
      let stderr = '';
      const done = runCli(['serve', sampleModelDir, '--server', 'mlflow', ...args], io((t) => {
        stdout += t;
        if (stdout.includes('Press Ctrl+C')) stop.abort();
      }, (t) => (stderr += t), stop.signal));
      expect(await done).toBe(0);
      return stderr;
    };
    expect(await serve('--mlflow-version', '2.7.1')).toBe(
      "Warning: mlflow models serve would not start with MLflow 2.7.1, so every scoring request gets 500 E_NOT_STARTED. The signature's column `age` carries a `\"required\"` key, which MLflow writes from 2.10.0 on; MLflow 2.7.1 cannot read it, so mlflow models serve fails while loading the model. (TypeError: ColSpec.__init__() got an unexpected keyword argument 'required') Serve without --mlflow-version: the model pins MLflow 2.16.2, which reads it.\n",
    );
    expect(await serve()).toBe('');
  });

  it('writes non-finite numbers in body as strings while body_text keeps the bare token', async () => {
    // A NaN feature propagates through the linear model: Python writes the bare NaN token.
    const body = JSON.stringify({ dataframe_split: { columns: example.columns, data: [example.data[0]] } }).replace(/0\.0380759064334241/, 'NaN');
    const r = await cli('predict', sampleModelDir, await bodyFile('nan.json', body), '--server', 'mlflow', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PredictJson;
    expect(out.body_text).toBe('{"predictions": [{"variable": NaN}]}');
    expect(out.body).toEqual({ predictions: [{ variable: 'NaN' }] });
  });
});

describe('preflight predict (errors and exit codes)', () => {
  it('a missing body file is exit 3 naming it; bad flags are exit 2', async () => {
    const r = await cli('predict', sampleModelDir, join(tmp, 'nope.json'), '--json');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nope.json');
    expect((await cli('predict', sampleModelDir, join(tmp, 'x.json'), '--server', 'sagemaker')).code).toBe(2);
    expect((await cli('predict', sampleModelDir)).code).toBe(2);
  });

  it('a non-ONNX model with no usable Python says how to point Preflight at one (exit 3)', async () => {
    // The sample's diabetes columns are the fixture's too, so the request passes and only Python is missing.
    const body = await bodyFile('sk.json', JSON.stringify({ input_data: example }));
    let stderr = '';
    const code = await runCli(
      ['predict', fixture('mlflow-models', 'azureml-examples-sklearn-diabetes'), body],
      { ...io(() => {}, (t) => (stderr += t)), env: { ...process.env, PREFLIGHT_ONNX_WORKER: worker, PREFLIGHT_USER_DATA: join(tmp, 'user-data'), PREFLIGHT_PYTHON: join(tmp, 'no-such-python') } },
    );
    expect(code).toBe(3);
    expect(stderr).toMatch(/PREFLIGHT_PYTHON names/);
  });

  it('prints status, headers and body as text without --json', async () => {
    const r = await cli('predict', sampleModelDir, await bodyFile('plain.json', JSON.stringify({ input_data: example })));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^200 content-type: application\/json · x-ms-run-function-failed: False\n\[\{"variable": /);
  });
});

describe('preflight serve', () => {
  it('prints the URL and the generated key once, serves until aborted, logs requests without the key', async () => {
    let stdout = '';
    let stderr = '';
    const controller = new AbortController();
    let onLine: () => void = () => {};
    const printed = new Promise<void>((resolve) => (onLine = resolve));
    const done = runCli(['serve', sampleModelDir, '--server', 'azureml'], io((t) => {
      stdout += t;
      if (stdout.includes('Ctrl+C')) onLine();
    }, (t) => (stderr += t), controller.signal));
    await printed;
    const url = /at (http:\/\/127\.0\.0\.1:\d+)\/score/.exec(stdout)![1]!;
    const key = /Key: (\S+)/.exec(stdout)![1]!;
    // the request that uses them, ready to paste: Azure's route, its Bearer header (never the key itself), JSON
    expect(stdout).toContain(`Send a request (the key above in place of <key>):\n  curl -X POST ${url}/score -H "Authorization: Bearer <key>" -H "Content-Type: application/json" -d @body.json\n`);
    const res = await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ input_data: example }) });
    expect(res.status).toBe(200);
    await res.text();
    controller.abort();
    expect(await done).toBe(0);
    expect(stderr).toMatch(/POST \/score 200 /);
    expect(stderr).not.toContain(key);
    expect(stdout.split(key).length - 1).toBe(1);
  });
});
