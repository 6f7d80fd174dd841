/**
 * `preflight compare` end to end, in-process: the real local runner (ONNX worker), a real Preflight scoring
 * server as a URL target, and a second HTTP server on 127.0.0.1 that answers differently (off by more than
 * the tolerance, another shape, 424 with model-error headers, too slow), plus a port nobody listens on.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import type { CompareResultData } from '../../src/shared/ipc/compare-contract';
import { repoRoot, sampleModelDir } from '../support/paths';

let tmp: string;
let worker: string;
let runner: RunnerService;
let mlflowServer: ScoringServer;
let other: Server;
let otherUrl: string;
let refusedUrl: string;
let example: { columns: string[]; data: number[][] };
/** The local answer's predictions, for the "other" server to distort. */
let truth: number[];
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

const SECRET = 'sk-very-secret-key-1234567890';

function io(stdout: (t: string) => void, stderr: (t: string) => void): CliIo {
  return { stdout, stderr, env: { ...process.env, PREFLIGHT_ONNX_WORKER: worker, PREFLIGHT_USER_DATA: join(tmp, 'user-data') }, cwd: repoRoot, signal: new AbortController().signal, log: silentLogger };
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, io((t) => (stdout += t), (t) => (stderr += t)));
  return { code, stdout, stderr };
}

async function compareJson(...argv: string[]): Promise<{ code: number; r: CompareResultData; stdout: string; stderr: string }> {
  const out = await cli('compare', sampleModelDir, join(tmp, 'body.json'), ...argv, '--json');
  return { ...out, r: JSON.parse(out.stdout) as CompareResultData };
}

/** The "other" server: what it answers depends on the path. */
function otherServer(): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-42', ...headers });
        res.end(JSON.stringify(value));
      };
      switch (req.url) {
        case '/off/score':
          return json(200, truth.map((v, i) => (i === 1 ? v + 0.5 : v)));
        case '/proba/score':
          return json(200, truth.map(() => [0.25, 0.75]));
        case '/424/score':
          return json(424, { message: 'An unexpected error occurred in scoring script. Check the logs for more info.' }, {
            'ms-azureml-model-error-statuscode': '500',
            'ms-azureml-model-error-reason': "Model is missing inputs ['s6']",
          });
        case '/slow/score':
          setTimeout(() => json(200, truth), 3000).unref();
          return;
        default:
          return json(200, truth);
      }
    });
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-cli-compare-'));
  worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
  runner = new RunnerService({ onnxWorkerPath: worker });
  example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as typeof example;
  await writeFile(join(tmp, 'body.json'), JSON.stringify({ input_data: example }));
  mlflowServer = await startScoringServer({ modelPath: sampleModelDir, server: 'mlflow', runner });
  const local = await runner.predict({ modelPath: sampleModelDir, body: JSON.stringify({ input_data: example }), contentType: 'application/json', server: 'azureml' });
  truth = (local.body as { variable: number }[]).map((r) => r.variable);
  other = otherServer();
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  refusedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/score`;
  await new Promise<void>((r) => probe.close(() => r()));
}, 60_000);

afterAll(async () => {
  await mlflowServer?.close();
  other?.closeAllConnections();
  await new Promise<void>((r) => (other ? other.close(() => r()) : r()));
  runner?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

describe('preflight compare', () => {
  it('local Azure and local MLflow agree; the sentence explains the wrapping; MLflow got a converted body', async () => {
    const { code, r } = await compareJson('--target', 'local:azureml', '--target', 'local:mlflow');
    expect(code).toBe(0);
    expect(r.verdict.agree).toBe(true);
    expect(r.verdict.sentence).toContain(`Same predictions within 1e-6 (${example.data.length} rows)`);
    expect(r.verdict.sentence).toContain('local:azureml returns a bare list of records, local:mlflow wraps it in {"predictions": …} of records');
    const [az, ml] = r.targets;
    expect(az!.request.converted).toBe(false);
    expect(az!.request.body).toBe(JSON.stringify({ input_data: example }));
    expect(ml!.request.converted).toBe(true);
    expect(ml!.request.to).toBe('dataframe_split');
    expect(Object.keys(JSON.parse(ml!.request.body) as object)).toEqual(['dataframe_split']);
    expect(ml!.response!.body_text.startsWith('{"predictions": ')).toBe(true);
  });

  it("a real MLflow-profile server as a URL target agrees with the local Azure profile (human output)", async () => {
    const { code, stdout } = await cli('compare', sampleModelDir, join(tmp, 'body.json'), '--target', 'local:azureml', '--target', `mlflow:${mlflowServer.url}/invocations`);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^Same predictions within 1e-6/);
    expect(stdout).toContain('(sent as dataframe_split, converted from azureml_split)');
  });

  it('a server off by more than the tolerance: exit 1, the row named, the secret header sent but never printed', async () => {
    const before = received.length;
    const { code, r, stdout } = await compareJson('--target', 'local:azureml', '--target', `azureml:${otherUrl}/off/score`, '--header', `Authorization: Bearer ${SECRET}`, '--header', 'azureml-model-deployment: blue');
    expect(code).toBe(1);
    expect(r.verdict.kind).toBe('disagree');
    expect(r.verdict.sentence).toMatch(/^Predictions differ: 1 of \d+ rows of 'variable' not within 1e-6 \(row 1: .* off by 0\.5\)/);
    expect(r.verdict.pairs[0]!.outputs[0]!.mismatches.map((m) => m.row)).toEqual([1]);
    const got = received.slice(before)[0]!;
    expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(got.headers['azureml-model-deployment']).toBe('blue');
    expect(got.body).toBe(JSON.stringify({ input_data: example }));
    expect(stdout).not.toContain(SECRET);
    expect(r.targets[1]!.request.headers.authorization).toMatch(/^<hidden: \d+ characters>$/);
    expect(r.targets[1]!.request.headers['azureml-model-deployment']).toBe('blue');
    // Within a looser tolerance the same answers agree.
    expect((await compareJson('--target', 'local:azureml', '--target', `azureml:${otherUrl}/off/score`, '--tolerance', '0.6')).code).toBe(0);
  });

  it('another shape: a label against probabilities is explained', async () => {
    const { code, r } = await compareJson('--target', 'local:azureml', '--target', `azureml:${otherUrl}/proba/score`);
    expect(code).toBe(1);
    expect(r.verdict.sentence).toContain(`azureml:${otherUrl}/proba/score returns 2 values per row`);
    expect(r.verdict.sentence).toContain('a label against probabilities');
  });

  it('424 with model-error headers: the root cause comes from the headers', async () => {
    const { code, r } = await compareJson('--target', 'local:azureml', '--target', `azureml:${otherUrl}/424/score`);
    expect(code).toBe(1);
    expect(r.targets[1]!.response!.status).toBe(424);
    expect(r.targets[1]!.rootCause).toBe("model error 500: Model is missing inputs ['s6']");
    expect(r.verdict.sentence).toContain(`answers 424 (model error 500: Model is missing inputs ['s6'])`);
    expect(r.targets[1]!.response!.headers['x-request-id']).toBe('req-42');
  });

  it('a slow server times out and a closed port is refused: exit 3 with what happened', async () => {
    const slow = await compareJson('--target', 'local:azureml', '--target', `azureml:${otherUrl}/slow/score`, '--timeout', '300');
    expect(slow.code).toBe(3);
    expect(slow.r.targets[1]!.error).toEqual({ code: 'E_TIMEOUT', message: expect.stringContaining('no answer within 300 ms') });
    expect(slow.r.verdict.kind).toBe('no-answer');
    const refused = await compareJson('--target', 'local:azureml', '--target', `azureml:${refusedUrl}`);
    expect(refused.code).toBe(3);
    expect(refused.r.targets[1]!.error!.code).toBe('E_CONNECTION_REFUSED');
    expect(refused.r.verdict.sentence).toContain('gave no answer (connection refused: nothing listens at 127.0.0.1:');
  });

  it('a local target refusing the request is compared as an answer: Azure 400 vs MLflow 400 have no predictions', async () => {
    await writeFile(join(tmp, 'bad.json'), '{"input_data": {"columns": ["age"], "data": [["not a number"]]}}');
    const out = await cli('compare', sampleModelDir, join(tmp, 'bad.json'), '--target', 'local:azureml', '--target', 'local:mlflow', '--json');
    const r = JSON.parse(out.stdout) as CompareResultData;
    expect(out.code).toBe(1);
    expect(r.verdict.agree).toBe(false);
    expect(r.targets.every((t) => t.response !== null && t.response.status >= 400)).toBe(true);
    expect(r.targets[0]!.rootCause).toBeTruthy();
  });

  it('usage errors are exit 2 with the reason', async () => {
    const body = join(tmp, 'body.json');
    const one = await cli('compare', sampleModelDir, body, '--target', 'local:azureml');
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('at least two --target');
    const bad = await cli('compare', sampleModelDir, body, '--target', 'local:azureml', '--target', 'http://x/score');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('say which server the URL speaks for');
    expect((await cli('compare', sampleModelDir, body, '--target', 'local:azureml', '--target', 'local:mlflow', '--tolerance', '-1')).code).toBe(2);
    expect((await cli('compare', sampleModelDir, body, '--target', 'local:azureml', '--target', 'local:mlflow', '--header', 'no colon')).code).toBe(2);
    expect((await cli('compare', sampleModelDir, body, '--target', 'local:azureml', '--target', 'local:mlflow', '--timeout', 'soon')).code).toBe(2);
    // the same usage error as validate's and convert's (the forms each MLflow target gets depend on the version)
    const version = await cli('compare', sampleModelDir, body, '--target', 'local:azureml', '--target', 'local:mlflow', '--mlflow-version', 'latest');
    expect(version).toMatchObject({ code: 2, stderr: expect.stringContaining("MLflow version 'latest' is not a version") });
  });
});
