/**
 * The replay of a recorded differential suite (docs/fidelity.md), shared by the main suite
 * (test/integration/fidelity-replay.test.ts) and the held-out one (fidelity-heldout.test.ts): every request
 * of <dir>/*.jsonl — answers recorded from the real MLflow 2.7.1 and 2.12.2 servers by test/fidelity/record.py —
 * is sent to `preflight serve --server mlflow --mlflow-version X` over real HTTP, run through `predict`, and
 * through `validate` (whose verdict does not depend on the model: it must say the model is called exactly
 * when the real server called it, and otherwise give the real status and body). Prints the agreement per
 * surface, version and class. Fails on any disagreement not in <dir>/known-gaps.json, and on any listed case
 * that now agrees (the list only shrinks). FIDELITY_WRITE_GAPS=1 rewrites the list from this run.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeBodyBytes } from '../../src/shared/text/body-bytes';
import { silentLogger } from '../../src/main/ports/logger';
import { ModelService } from '../../src/main/services/model/model-service';
import { PayloadService } from '../../src/main/services/payload/payload-service';
import { createRunner } from '../../src/main/services/runner/create-runner';
import type { RunnerService } from '../../src/main/services/runner/runner-service';
import {
  bodyBytes, differs, gapsFileOf, readKnownGaps, readRecordings, reachedModel, VERSIONS,
  type RecordedCase, type Version,
} from './fidelity';
import { repoRoot } from './paths';
import { inProcessServers } from './serve-in-process';
import { fidelityModelsFor, recordedModelParams, useBlasKernelsOf, type ModelParams } from './fidelity-models';
import { SYSTEM_PYTHON, sklearnSkipReason } from './sklearn-models';

type Surface = 'serve' | 'predict' | 'validate';
interface Outcome { surface: Surface; version: Version; cls: string; id: string; diff: string | null }

export interface ReplaySuite {
  /** What the report calls this suite. */
  title: string;
  /** The folder of <model>.jsonl recordings and its known-gaps.json. */
  dir: string;
  /** Recorded answers (cases × versions) the suite must hold at least. */
  minAnswers: number;
  /** The MLflow versions recorded in this folder (default: 2.7.1 and 2.12.2). */
  versions?: readonly Version[];
  /** Model files the folder must hold at least (default 6; 5 where a version cannot load one, docs/fidelity.md §14). */
  minModels?: number;
}

/**
 * One runner per coefficient set for every replay this process runs: each fidelity model's Python worker (~2 s of CPU
 * to import pandas and scikit-learn) starts once, not once per suite. Vitest runs the replay files in one process
 * (vitest.config.ts, isolate: false), so they share it; a worker was started with its set's OpenBLAS kernels
 * (useBlasKernelsOf), hence one runner per set. Left open: its workers end with this process (their stdin closes).
 */
const sharedRunners = new Map<ModelParams, RunnerService>();

function runnerFor(params: ModelParams): RunnerService {
  let runner = sharedRunners.get(params);
  if (!runner) {
    // The runner's environment is only for finding the interpreter; the workers inherit this process's (with the kernels).
    const env = { ...process.env, PREFLIGHT_PYTHON: SYSTEM_PYTHON };
    runner = createRunner({ resourcesDir: join(repoRoot, 'resources'), logger: silentLogger, env, prepareWorkerPath: join(inject('bundlesDir'), 'prepare-worker.js') });
    sharedRunners.set(params, runner);
  }
  return runner;
}

export function describeReplay(suite: ReplaySuite): void {
  const versions = suite.versions ?? VERSIONS;
  const recordings = readRecordings(suite.dir);
  const tmp = mkdtempSync(join(tmpdir(), 'preflight-fidelity-'));
  // PREFLIGHT_TRUST: the models are built by this test in its own temp folder; `serve` runs pickles only in trusted folders.
  const env = { ...process.env, PREFLIGHT_PYTHON: SYSTEM_PYTHON, PREFLIGHT_USER_DATA: join(tmp, 'user-data'), PREFLIGHT_TRUST: tmp };
  const outcomes: Outcome[] = [];
  let runner: RunnerService;
  // One runner for `predict` and every server of the suite (and of the other replays: runnerFor): one Python worker per model (docs/fidelity.md §1).
  const servers = inProcessServers(env, () => runner);

  /** `preflight serve` in this process (the CLI's own code path); resolves with its base URL. */
  const serve = (modelDir: string, version: Version): Promise<string> => servers.start([modelDir, '--server', 'mlflow', '--mlflow-version', version], '/invocations');

  function send(base: string, c: RecordedCase): Promise<{ status: number; content_type: string | null; body: Buffer }> {
    const body = bodyBytes(c);
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = c.method === 'POST' ? { 'content-length': body.length } : {};
      if (c.content_type !== null) headers['content-type'] = c.content_type;
      // the path as recorded, byte for byte: a URL string would be normalised (`/./invocations` → `/invocations`)
      const { hostname, port } = new URL(base);
      const req = request({ hostname, port, path: c.path, method: c.method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, content_type: res.headers['content-type'] ?? null, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(c.method === 'POST' ? body : undefined);
    });
  }

  /** Runs `work` over `items` with at most `limit` in flight. */
  async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }));
  }

  /** The body as `predict`/`validate` get it from a file: `readBody`'s decoding, which keeps bytes that are not UTF-8. */
  const bodyText = (c: RecordedCase): string => decodeBodyBytes(bodyBytes(c));

  async function replayModel(model: string, modelDir: string, cases: RecordedCase[], payloads: PayloadService): Promise<void> {
    for (const version of versions) {
      // a model one version cannot load (record.py ONLY_VERSIONS) is recorded for the other only
      if (!cases.some((c) => c.answers[version] !== undefined)) continue;
      const base = await serve(modelDir, version);
      await pool(cases, 4, async (c) => {
        const want = c.answers[version]!;
        outcomes.push({ surface: 'serve', version, cls: c.cls, id: c.id, diff: differs(want, await send(base, c)) });
        // predict/validate read a body for /invocations: a POST to another route (1.x suite) is the server's alone
        if (c.method !== 'POST' || c.path !== '/invocations') return;
        const p = await runner.predict({ modelPath: modelDir, body: bodyText(c), contentType: c.content_type, server: 'mlflow', mlflowVersion: version });
        outcomes.push({ surface: 'predict', version, cls: c.cls, id: c.id, diff: differs(want, { status: p.status, content_type: p.headers['content-type'] ?? null, body: Buffer.from(p.body_text ?? '', 'utf8') }) });
        const v = await payloads.validate({ modelPath: modelDir, body: bodyText(c), server: 'mlflow', contentType: c.content_type, mlflowVersion: version });
        let diff: string | null;
        const text = typeof v.body === 'string' ? v.body : JSON.stringify(v.body);
        const sameAnswer = (): string | null => differs(want, { status: v.status, content_type: want.content_type, body: Buffer.from(text, 'utf8') });
        // The model-evaluation text is also S1's answer to a Python error raised before the model (2.7's unguarded
        // _enforce_schema): validate giving that exact answer agrees too.
        if (reachedModel(want)) diff = v.ok || sameAnswer() === null ? null : `validate refuses (${v.status}), the real server called the model`;
        else if (v.ok) diff = `validate says the model is called, real ${want.status}`;
        else diff = sameAnswer();
        outcomes.push({ surface: 'validate', version, cls: c.cls, id: c.id, diff });
      });
      void model;
    }
  }

  function report(): string {
    const lines: string[] = [];
    const rate = (xs: Outcome[]): string => `${((100 * xs.filter((o) => o.diff === null).length) / xs.length).toFixed(1)}% (${xs.filter((o) => o.diff === null).length}/${xs.length})`;
    for (const surface of ['serve', 'predict', 'validate'] as Surface[]) {
      for (const version of versions) {
        const xs = outcomes.filter((o) => o.surface === surface && o.version === version);
        const classes = [...new Set(xs.map((o) => o.cls))].sort();
        lines.push(`${surface} ${version}: ${rate(xs)}  ` + classes.map((k) => `${k} ${rate(xs.filter((o) => o.cls === k))}`).join(' · '));
      }
    }
    return lines.join('\n');
  }

  describe.skipIf(sklearnSkipReason !== null)(`${suite.title}: the real MLflow servers vs Preflight`, () => {
    let modelsDir: string;
    let restoreBlas = (): void => undefined;
    beforeAll(async () => {
      // the recorded predictions came from this set's coefficients and OpenBLAS kernels (docs/fidelity.md §17)
      restoreBlas = useBlasKernelsOf(recordedModelParams(suite.dir));
      modelsDir = fidelityModelsFor(recordedModelParams(suite.dir));
      // With the bundled request preparation thread (large bodies of `serve`, `predict` and `validate`; every body with PREFLIGHT_OFFTHREAD_MIN_CHARS=0).
      runner = runnerFor(recordedModelParams(suite.dir));
      // The interpreter looked for afresh for each model, before any request: as with a runner of its own, the suite
      // starts from a discovery made now, not one a previous suite left pending or forgot after a model's error.
      await Promise.all([...recordings.keys()].map((model) => runner.environment(join(modelsDir, model))));
    });
    afterAll(async () => {
      await servers.stopAll();
      restoreBlas();
      rmSync(tmp, { recursive: true, force: true });
    });

    it(`has at least ${suite.minAnswers} recorded answers over six models and ${versions.join(' + ')}`, () => {
      const cases = [...recordings.values()].flat();
      expect(recordings.size).toBeGreaterThanOrEqual(suite.minModels ?? 6);
      expect(cases.reduce((n, c) => n + versions.filter((v) => c.answers[v] !== undefined).length, 0)).toBeGreaterThanOrEqual(suite.minAnswers);
      // every case of a model has the same versions' answers (all of them but for a model one version cannot load)
      for (const model of recordings.values()) {
        const has = versions.filter((v) => model[0]?.answers[v] !== undefined);
        expect(has.length).toBeGreaterThan(0);
        for (const c of model) for (const v of versions) expect(c.answers[v] !== undefined, `${c.id} ${v}`).toBe(has.includes(v));
      }
    });

    it('serve, predict and validate agree with every recording outside the known gaps (which only shrink)', { timeout: 300_000 }, async () => {
      // validate as the app wires it: large bodies (every body with PREFLIGHT_OFFTHREAD_MIN_CHARS=0) on the preparation thread
      const payloads = new PayloadService(new ModelService(silentLogger), { offThread: runner.createPreparer() });
      try {
        await Promise.all([...recordings].map(([model, cases]) => replayModel(model, join(modelsDir, model), cases, payloads)));
      } finally {
        await payloads.close();
      }
      console.log(`Agreement with the real MLflow servers (${suite.title}):\n${report()}`);
      const gaps = readKnownGaps(gapsFileOf(suite.dir));
      const now: Record<string, string[]> = {};
      for (const o of outcomes.filter((x) => x.diff !== null)) (now[`${o.surface} ${o.version}`] ??= []).push(o.id);
      for (const k of Object.keys(now)) now[k]!.sort();
      // FIDELITY_DETAILS=<file>: every disagreement with what differs, for working through the classes.
      if (process.env.FIDELITY_DETAILS) writeFileSync(process.env.FIDELITY_DETAILS, outcomes.filter((o) => o.diff !== null).map((o) => JSON.stringify(o)).join('\n'));
      if (process.env.FIDELITY_WRITE_GAPS === '1') writeFileSync(gapsFileOf(suite.dir), `${JSON.stringify(now, null, 1)}\n`);
      const unexpected = outcomes.filter((o) => o.diff !== null && !(gaps[`${o.surface} ${o.version}`] ?? []).includes(o.id));
      const fixed = Object.entries(gaps).flatMap(([k, ids]) => ids.filter((id) => !(now[k] ?? []).includes(id)).map((id) => `${k} ${id}`));
      expect(unexpected.map((o) => `${o.surface} ${o.version} ${o.id}: ${o.diff}`).slice(0, 40)).toEqual([]);
      expect(fixed, 'these cases agree now: remove them from known-gaps.json').toEqual([]);
    });
  });
}
