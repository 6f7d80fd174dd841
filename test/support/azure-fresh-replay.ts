/**
 * The fresh Azure probe's replay (docs/fidelity.md "The fresh Azure probe", §16), shared by
 * fidelity-azure-fresh.test.ts (MLflow 2.12.2) and fidelity-azure-versions.test.ts (the versions users' models pin).
 */
import { request } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBodyBytes } from '../../src/shared/text/body-bytes';
import { silentLogger } from '../../src/main/ports/logger';
import { ModelService } from '../../src/main/services/model/model-service';
import { PayloadService } from '../../src/main/services/payload/payload-service';
import { createRunner } from '../../src/main/services/runner/create-runner';
import type { RunnerService } from '../../src/main/services/runner/runner-service';
import { pyDumpsPlain } from '../../src/shared/mlflow/output/responses';
import { a4QueryBody } from '../../src/shared/mlflow/payload/azureml-get';
import type { ModelReceives } from '../../src/shared/mlflow/payload/model-input';
import { canonicalMessage, fidelityDir } from './fidelity';
import { repoRoot } from './paths';
import { inProcessServers } from './serve-in-process';
import { fidelityModelsFor, useBlasKernelsOf } from './fidelity-models';
import { SYSTEM_PYTHON, sklearnSkipReason } from './sklearn-models';

/** The 2.12.2 recordings (the first probe); other versions' are in its `mlflow-<v>/` sub-folders. */
export const AZURE_FRESH_DIR = join(fidelityDir, 'azure-fresh');
const KEY = 'fresh-probe-key';

interface Answer { status: number; content_type?: string; body?: string; run_function_failed?: boolean; log?: string | null; import_failure?: string }
interface Case { id: string; cls: string; method?: 'GET' | 'POST'; path?: string; content_type: string | null; body?: string; body_b64?: string; answer: Answer }
/** `diff`: the answer (status, body, or what the model received) differs; `logDiff`: the logged error differs. */
interface Outcome { surface: 'serve' | 'predict' | 'validate'; model: string; cls: string; id: string; diff: string | null; logDiff: string | null }

const bytesOf = (c: Case): Buffer => (c.body_b64 !== undefined ? Buffer.from(c.body_b64, 'base64') : Buffer.from(c.body ?? '', 'utf8'));

/**
 * What `predict` / `validate` are given: the body, or for `GET /score?…` the JSON body A4 makes of the query
 * (azureml-get.ts; null when its parser fails, which only `serve` can answer).
 */
function surfaceBody(c: Case): { body: string; contentType: string | null } | null {
  if (c.method !== 'GET') return { body: decodeBodyBytes(bytesOf(c)), contentType: c.content_type };
  const path = c.path ?? '/score';
  const q = a4QueryBody(path.includes('?') ? path.slice(path.indexOf('?') + 1) : '');
  return q.ok ? { body: q.body, contentType: 'application/json' } : null;
}

/** model → its cases: the first batch (DIR) and the seeded random one generated after the fixes (DIR/heldout). */
function readCases(DIR: string, heldout: boolean): Map<string, Case[]> {
  const out = new Map<string, Case[]>();
  for (const dir of heldout ? [DIR, join(DIR, 'heldout')] : [DIR])
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
      const model = f.replace(/\.jsonl$/, '');
      out.set(model, [...(out.get(model) ?? []), ...readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Case)]);
    }
  return out;
}

/**
 * The real log line is "<class name>: <str(e)>" (cut at 2 000 characters). Preflight names where it failed first
 * (the deserializer, MLflow's module, or "<model>: the model raised …" then the Python line). pandas lists unexpected
 * split keys in set order, which the Python process's hash seed decides: that list counts as a set.
 */
function sameLog(real: string | null | undefined, ours: string | null): string | null {
  if (!real) return null;
  if (ours === null) return `no server log, real "${real.slice(0, 200)}"`;
  const keys = (s: string): string => s.replace(/(unexpected key\(s\): )(.*)$/, (_m, head: string, list: string) => head + list.split(', ').sort().join(', '));
  const norm = (s: string): string => {
    const raised = s.indexOf(': the model raised ');
    // "<model>: the model raised T: m\nT: m": the Python line is the second half
    const rest = raised < 0 ? s : s.slice(raised + ': the model raised '.length);
    const line = raised < 0 ? s : rest.slice((rest.length + 1) / 2);
    return canonicalMessage(keys(line.replace(/^Encountered Exception while deserializing input_data: /, '').replace(/^mlflow\.exceptions\./, '').slice(0, 2000)));
  };
  return norm(ours) === canonicalMessage(keys(real)) ? null : `log "${norm(ours).slice(0, 300)}", real "${real.slice(0, 300)}"`;
}

/** What the echo model reported (its answer body) against what `validate` says the model receives. */
function sameReceived(echo: Record<string, unknown>, got: ModelReceives | null): string | null {
  const describe = (m: ModelReceives | null): unknown => {
    if (m === null) return null;
    switch (m.kind) {
      case 'DataFrame': return { kind: 'DataFrame', columns: m.columns, dtypes: m.dtypes, rows: m.nrows };
      case 'ndarray': return { kind: 'ndarray', dtype: m.dtype, shape: m.shape };
      case 'dict': return { kind: 'dict', items: Object.fromEntries(Object.entries(m.items).map(([k, v]) => [k, describe(v)])) };
      default: return { kind: m.pytype };
    }
  };
  const { params: _p, ...want } = echo;
  void _p;
  const ours = describe(got);
  return JSON.stringify(ours) === JSON.stringify(want) ? null : `receives ${JSON.stringify(ours)}, real ${JSON.stringify(want)}`;
}

/** The params the echo model was handed (names; the defaults MLflow fills in included) against `params_received`. */
function sameParams(echo: Record<string, unknown>, got: Record<string, unknown> | null): string | null {
  const want = echo.params === null || echo.params === undefined ? [] : Object.keys(echo.params as object).sort();
  const ours = Object.keys(got ?? {}).sort();
  return JSON.stringify(want) === JSON.stringify(ours) ? null : `params ${JSON.stringify(ours)}, real ${JSON.stringify(want)}`;
}

export interface AzureReplayOptions {
  /** Recordings (`*.jsonl`, `heldout/`, `models/` with the echo folders, `known-gaps.json`). */
  dir: string;
  /** `--mlflow-version`: the MLflow the recordings ran under. */
  version: string;
  title: string;
  /** Replay `heldout/` as well. */
  heldout: boolean;
  /**
   * Replay the echo models only (`validate`, in-process: no Python worker, no server): for a CI batch whose rules
   * show on the echo models alone (docs/fidelity.md §16.1, 2.16.2).
   */
  echoOnly?: boolean;
  minCases: number;
}

/** Replays one version's fresh-probe recordings against serve / predict / validate (`--mlflow-version <version>`). */
export function describeAzureFreshReplay({ dir: DIR, version, title, heldout, minCases, echoOnly = false }: AzureReplayOptions): void {
  const recordings = readCases(DIR, heldout);
  if (echoOnly) for (const model of [...recordings.keys()]) if (model.startsWith('sk-')) recordings.delete(model);
  const tmp = mkdtempSync(join(tmpdir(), 'preflight-azure-fresh-'));
  const env = { ...process.env, PREFLIGHT_PYTHON: SYSTEM_PYTHON, PREFLIGHT_USER_DATA: join(tmp, 'user-data'), PREFLIGHT_TRUST: tmp };
  const outcomes: Outcome[] = [];
  let runner: RunnerService;
  // One runner for `predict` and the servers: one Python worker per model (CliIo.runner)
  const servers = inProcessServers(env, () => runner);
  let modelsDir: string;

  const serve = (modelDir: string): Promise<string> => servers.start([modelDir, '--server', 'azureml', '--mlflow-version', version, '--key', KEY], '/score');

  function send(base: string, c: Case): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    const body = bytesOf(c);
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { 'content-length': body.length, authorization: `Bearer ${KEY}` };
      if (c.content_type !== null) headers['content-type'] = c.content_type;
      const req = request(`${base}${c.path ?? '/score'}`, { method: c.method ?? 'POST', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Status, Content-Type, x-ms-run-function-failed and the exact body of an answer. */
  function sameAnswer(want: Answer, got: { status: number; contentType: string | null; failed: string | null; body: string }): string | null {
    // over HTTP Preflight says the deployment would not start (scoring-http.ts: 500, x-preflight-error E_NOT_STARTED)
  if (want.import_failure !== undefined) return got.status === 0 || (got.status === 500 && got.body.includes('A real Azure deployment of this model would not start')) ? null : `answers ${got.status}, real: the script fails at import (${want.import_failure.slice(0, 200)})`;
    if (want.status !== got.status) return `status ${got.status}, real ${want.status} (${(want.log ?? want.body ?? '').slice(0, 200)})`;
    if (want.content_type !== got.contentType) return `content-type ${got.contentType}, real ${want.content_type}`;
    if (got.failed !== null && String(want.run_function_failed === true ? 'True' : 'False') !== got.failed) return `x-ms-run-function-failed ${got.failed}, real ${want.run_function_failed}`;
    return want.body === got.body ? null : `body ${got.body.slice(0, 300)}, real ${want.body?.slice(0, 300)}`;
  }

  async function replaySklearn(model: string, cases: Case[]): Promise<void> {
    const dir = join(modelsDir, model.replace(/^sk-/, ''));
    const base = await serve(dir);
    for (const c of cases) {
      const want = c.answer;
      const r = await send(base, c);
      const failed = r.headers['x-ms-run-function-failed'];
      outcomes.push({ surface: 'serve', model, cls: c.cls, id: c.id, logDiff: null, diff: sameAnswer(want, { status: r.status, contentType: (r.headers['content-type'] as string | undefined) ?? null, failed: typeof failed === 'string' ? failed : null, body: r.body.toString('utf8') }) });
      const input = surfaceBody(c);
      if (input === null) continue;
      const p = await runner.predict({ modelPath: dir, body: input.body, contentType: input.contentType, server: 'azureml', mlflowVersion: version });
      const diff = sameAnswer(want, { status: p.status, contentType: p.headers['content-type'] ?? null, failed: p.headers['x-ms-run-function-failed'] ?? null, body: p.body_text ?? '' });
      outcomes.push({ surface: 'predict', model, cls: c.cls, id: c.id, diff, logDiff: sameLog(want.log, p.server_log) });
    }
  }

  async function replayEcho(model: string, cases: Case[], payloads: PayloadService): Promise<void> {
    const dir = join(DIR, 'models', model);
    for (const c of cases) {
      const want = c.answer;
      const input = surfaceBody(c);
      if (input === null) continue;
      const v = await payloads.validate({ modelPath: dir, body: input.body, server: 'azureml', contentType: input.contentType, mlflowVersion: version });
      let diff: string | null;
      let logDiff: string | null = null;
      if (want.import_failure !== undefined) diff = sameAnswer(want, { status: v.status, contentType: null, failed: null, body: '' });
      else if (want.status === 200) diff = v.ok ? (sameReceived(JSON.parse(want.body!) as Record<string, unknown>, v.model_receives) ?? sameParams(JSON.parse(want.body!) as Record<string, unknown>, v.params_received)) : `validate refuses (${v.status}: ${v.server_log ?? JSON.stringify(v.body)}), the real script called the model`;
      else if (v.ok) diff = `validate says the model is called, real ${want.status} (${want.log ?? want.body})`;
      else {
        diff = sameAnswer(want, { status: v.status, contentType: 'application/json', failed: null, body: pyDumpsPlain(v.body) });
        logDiff = sameLog(want.log, v.server_log);
      }
      outcomes.push({ surface: 'validate', model, cls: c.cls, id: c.id, diff, logDiff });
    }
  }

  const agrees = (o: Outcome): boolean => o.diff === null && o.logDiff === null;

  function report(): string {
    const rate = (xs: Outcome[], ok: (o: Outcome) => boolean): string => `${((100 * xs.filter(ok).length) / xs.length).toFixed(1)}% (${xs.filter(ok).length}/${xs.length})`;
    return (['serve', 'predict', 'validate'] as const)
      .filter((s) => outcomes.some((o) => o.surface === s))
      .map((s) => {
        const xs = outcomes.filter((o) => o.surface === s);
        const byClass = [...new Set(xs.map((o) => o.cls))].sort().map((k) => `${k} ${rate(xs.filter((o) => o.cls === k), agrees)}`).join(' · ');
        return `${s}: answer ${rate(xs, (o) => o.diff === null)}, answer and logged error ${rate(xs, agrees)}  (${byClass})`;
      })
      .join('\n');
  }

  describe.skipIf(sklearnSkipReason !== null)(title, () => {
    let restoreBlas = (): void => undefined;
    beforeAll(() => {
      // the recorded predictions came from this set's coefficients and OpenBLAS kernels (docs/fidelity.md §17)
      if (echoOnly) return;
      restoreBlas = useBlasKernelsOf('skylakex');
      modelsDir = fidelityModelsFor('skylakex');
      runner = createRunner({ resourcesDir: join(repoRoot, 'resources'), logger: silentLogger, env });
    });
    afterAll(async () => {
      await servers.stopAll();
      await runner?.close();
      restoreBlas();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('holds a few hundred recorded answers over echo and scikit-learn models', () => {
      const cases = [...recordings.values()].flat();
      expect(cases.length).toBeGreaterThanOrEqual(minCases);
      if (!echoOnly) expect([...recordings.keys()].filter((m) => m.startsWith('sk-')).length).toBeGreaterThanOrEqual(5);
    });

    it('serve, predict and validate agree with every recording outside the known gaps (which only shrink)', { timeout: 240_000 }, async () => {
      const payloads = new PayloadService(new ModelService(silentLogger));
      await Promise.all([...recordings].map(([model, cases]) => (model.startsWith('sk-') ? replaySklearn(model, cases) : replayEcho(model, cases, payloads))));
      console.log(`Agreement with Azure's real scoring script (${title}, MLflow ${version}):\n${report()}`);
      if (process.env.FIDELITY_DETAILS) writeFileSync(process.env.FIDELITY_DETAILS, outcomes.filter((o) => !agrees(o)).map((o) => JSON.stringify(o)).join('\n'));
      const gaps = JSON.parse(readFileSync(join(DIR, 'known-gaps.json'), 'utf8')) as Record<string, string>;
      const key = (o: Outcome): string => `${o.surface} ${o.id}`;
      const unexpected = outcomes.filter((o) => !agrees(o) && gaps[key(o)] === undefined);
      const failing = new Set(outcomes.filter((o) => !agrees(o)).map(key));
      const fixed = Object.keys(gaps).filter((k) => !failing.has(k));
      expect(unexpected.map((o) => `${key(o)}: ${o.diff ?? o.logDiff}`).slice(0, 40)).toEqual([]);
      expect(fixed, 'these cases agree now: remove them from known-gaps.json').toEqual([]);
    });
  });
}
