/**
 * `preflight compare --replay` end to end, in-process: a CSV file streamed through the real local runner (ONNX
 * worker) on both profiles, and through a second HTTP server on 127.0.0.1 that scores with the same runner but
 * answers some rows differently, too slowly, or with Azure's 424.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { CompareService } from '../../src/main/services/compare/compare-service';
import { ReplayService } from '../../src/main/services/compare/replay-service';
import { ModelService } from '../../src/main/services/model/model-service';
import { PayloadService } from '../../src/main/services/payload/payload-service';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import type { ReplayProgressData, ReplaySummaryData } from '../../src/shared/ipc/replay-contract';
import { repoRoot, sampleModelDir } from '../support/paths';

let tmp: string;
let worker: string;
let runner: RunnerService;
let other: Server;
let otherUrl: string;
let csv: string;
const ROWS = 120;
/** Rows whose `sex` is this value are answered 0.5 higher by the /off server. */
const MARK = 0.05;
const marked: number[] = [];

function io(stdout: (t: string) => void, stderr: (t: string) => void): CliIo {
  return { stdout, stderr, env: { ...process.env, PREFLIGHT_ONNX_WORKER: worker, PREFLIGHT_USER_DATA: join(tmp, 'user-data') }, cwd: repoRoot, signal: new AbortController().signal, log: silentLogger };
}

async function replay(...argv: string[]): Promise<{ code: number; s: ReplaySummaryData; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['compare', sampleModelDir, '--replay', csv, '--rows-per-request', '25', ...argv, '--json'], io((t) => (stdout += t), (t) => (stderr += t)));
  return { code, s: JSON.parse(stdout) as ReplaySummaryData, stderr };
}

/** Scores Azure-form bodies with the real runner; /off distorts marked rows, /slow waits, /424 fails like Azure. */
function otherServer(): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      void (async () => {
        if (req.url === '/424/score') {
          res.writeHead(424, { 'content-type': 'application/json', 'ms-azureml-model-error-statuscode': '500', 'ms-azureml-model-error-reason': "Model is missing inputs ['s6']" });
          return res.end('{"message": "An unexpected error occurred in scoring script."}');
        }
        const r = await runner.predict({ modelPath: sampleModelDir, body, contentType: 'application/json', server: 'azureml' });
        const input = (JSON.parse(body) as { input_data: { columns: string[]; data: number[][] } }).input_data;
        const sex = input.columns.indexOf('sex');
        const values = (r.body as { variable: number }[]).map((x, i) => (req.url === '/off/score' && input.data[i]![sex] === MARK ? x.variable + 0.5 : x.variable));
        const send = (): void => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(values));
        };
        if (req.url === '/slow/score') setTimeout(send, 1500).unref();
        else send();
      })();
    });
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-replay-'));
  worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
  runner = new RunnerService({ onnxWorkerPath: worker });
  const example = JSON.parse(await readFile(join(sampleModelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  const lines = [example.columns.join(',')];
  for (let i = 0; i < ROWS; i++) {
    const row = example.data[i % example.data.length]!.map((v, c) => v + (c === 0 ? i / 1000 : 0));
    if (i % 7 === 3) {
      row[1] = MARK;
      marked.push(i);
    }
    lines.push(row.join(','));
  }
  csv = join(tmp, 'rows.csv');
  await writeFile(csv, `${lines.join('\n')}\n`);
  other = otherServer();
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  other?.closeAllConnections();
  await new Promise<void>((r) => (other ? other.close(() => r()) : r()));
  runner?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

describe('preflight compare --replay', () => {
  it('local Azure and local MLflow agree on every row of the CSV, in chunks, with latencies per target', async () => {
    const { code, s } = await replay('--target', 'local:azureml', '--target', 'local:mlflow');
    expect(code).toBe(0);
    expect(s.status).toBe('completed');
    expect(s).toMatchObject({ rows: ROWS, requests: 5, agreeRows: ROWS, differRows: 0, unansweredRows: 0, agreementRate: 1 });
    expect(s.sentence).toBe(`All ${ROWS} rows agree within 1e-6 across 2 targets (local:azureml, local:mlflow), 5 requests each.`);
    for (const t of s.targets) {
      expect(t.latency.count).toBe(5);
      expect(t.latency.histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
      expect(t.latency.histogram.edges).toHaveLength(t.latency.histogram.counts.length + 1);
      expect(t.latency.p95!).toBeGreaterThanOrEqual(t.latency.p50!);
    }
    expect(s.pairs[0]!.shapeNotes.join(' ')).toMatch(/wraps it in \{"predictions"/);
  });

  it('a server that answers some rows off by more than the tolerance: those rows, their CSV lines and inputs, exit 1', async () => {
    const { code, s } = await replay('--target', 'local:azureml', '--target', `azureml:${otherUrl}/off/score`);
    expect(code).toBe(1);
    expect(s.differRows).toBe(marked.length);
    expect(s.agreeRows).toBe(ROWS - marked.length);
    expect(s.agreementRate).toBeCloseTo((ROWS - marked.length) / ROWS, 6);
    expect(s.worstRows.map((w) => w.row).sort((a, b) => a - b)).toEqual(marked.slice(0, 20));
    const w = s.worstRows.find((x) => x.row === 3)!;
    expect(w.line).toBe(5);
    expect(w.diff).toBeCloseTo(0.5, 6);
    expect(w.input!.split(',')[1]).toBe(String(MARK));
    expect(s.sentence).toMatch(new RegExp(`^${ROWS - marked.length} of ${ROWS} rows agree within 1e-6 \\(\\d+(\\.\\d)?%\\).*; ${marked.length} differ \\(worst: row \\d+, off by 0\\.5\\)`));
  });

  it('a slow server times out and a 424 is explained: rows unanswered or differing, exit 3', async () => {
    const slow = await replay('--target', 'local:azureml', '--target', `azureml:${otherUrl}/slow/score`, '--timeout', '300');
    expect(slow.code).toBe(3);
    expect(slow.s.unansweredRows).toBe(ROWS);
    expect(slow.s.targets[1]!.noAnswer).toBe(5);
    expect(slow.s.targets[1]!.firstProblem).toMatch(/^no answer: no answer within 300 ms .*\(rows 0–24\)$/);
    const failing = await replay('--target', 'local:azureml', '--target', `azureml:${otherUrl}/424/score`);
    expect(failing.code).toBe(1);
    expect(failing.s.differRows).toBe(ROWS);
    expect(failing.s.targets[1]!.refused).toBe(5);
    expect(failing.s.targets[1]!.firstProblem).toContain("model error 500: Model is missing inputs ['s6']");
  });

  it('a missing CSV is an environment error naming the file; --replay with a body is a usage error', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['compare', sampleModelDir, '--replay', join(tmp, 'nope.csv'), '--target', 'local:azureml', '--target', 'local:mlflow', '--json'], io((t) => (stdout += t), (t) => (stderr += t)));
    expect(code).toBe(3);
    expect((JSON.parse(stdout) as ReplaySummaryData).error!.code).toBe('E_NOT_FOUND');
    expect(stderr).toContain('nope.csv');
    // what happened and what to do, in words: not "cannot be read (ENOENT)", not "stopped after 0 rows"
    expect((JSON.parse(stdout) as ReplaySummaryData).sentence).toBe(`The replay did not start: There is no file ${join(tmp, 'nope.csv')}: check the path (a CSV file with a header row naming the columns).`);
    const both = await runCli(['compare', sampleModelDir, 'body.json', '--replay', csv, '--target', 'local:azureml', '--target', 'local:mlflow'], io(() => {}, (t) => (stderr = t)));
    expect(both).toBe(2);
    expect(stderr).toMatch(/either a body file or --replay/);
  });

  it('the service reports progress that moves within the file, and a cancel keeps what was done', async () => {
    const compare = new CompareService({ payload: new PayloadService(new ModelService(silentLogger)), runner });
    const service = new ReplayService({ compare, payload: new PayloadService(new ModelService(silentLogger)) });
    const events: ReplayProgressData[] = [];
    const controller = new AbortController();
    const s = await service.run(
      { modelPath: sampleModelDir, source: { kind: 'csv', path: csv }, targets: [{ kind: 'local', server: 'azureml' }, { kind: 'local', server: 'mlflow' }], headers: [], tolerance: { abs: 1e-6, rel: 1e-6 }, timeoutMs: 30_000, rowsPerRequest: 10 },
      {
        opId: 'r1',
        progressIntervalMs: 0,
        signal: controller.signal,
        onProgress: (p) => {
          events.push(p);
          if (p.rowsDone >= 60) controller.abort();
        },
      },
    );
    expect(s.status).toBe('cancelled');
    expect(s.rows).toBe(60);
    expect(s.sentence).toMatch(/^Cancelled after 60 rows\. /);
    const mid = events.filter((e) => e.fraction > 0 && e.fraction < 1);
    expect(mid.length).toBeGreaterThanOrEqual(5);
    expect(mid.map((e) => e.fraction)).toEqual([...mid.map((e) => e.fraction)].sort((a, b) => a - b));
    expect(mid[2]!.rowsTotal).toBeGreaterThan(100);
    expect(mid[2]!.rowsTotal).toBeLessThan(140);
    expect(mid[2]!.etaMs).not.toBeNull();
    expect(events.every((e) => e.opId === 'r1')).toBe(true);
  });

  it('replays the input example as one request', async () => {
    const { code, s } = await replay('--target', 'local:azureml', '--target', 'local:mlflow', '--replay', 'example');
    expect(code).toBe(0);
    expect(s.source).toEqual({ kind: 'example' });
    expect(s.requests).toBe(1);
    expect(s.rows).toBeGreaterThan(0);
    expect(s.agreeRows).toBe(s.rows);
  });
});
