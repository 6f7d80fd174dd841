/**
 * The routes of MLflow's FastAPI scoring server (2.21+), as the real 3.6.1.dev0 server answered them
 * (test/fidelity/record_fastapi_routes.py → test/fixtures/fidelity/mlflow-3.6.1.dev0/routes.json, docs/fidelity.md §13):
 * HEAD on the GET routes, the 405's Allow list, Starlette's trailing-slash 307 with its Location, FastAPI's default
 * pages, 404s. Each recorded request is sent over real HTTP to `preflight serve --server mlflow --mlflow-version
 * 3.6.1.dev0`; status, Content-Type, Location (its port), Allow, Content-Length and body must all be the same.
 * The model does not matter to these routes: the fidelity suite's `regression` model (Debian's scikit-learn).
 */
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fidelityDir } from '../support/fidelity';
import { buildFidelityModels } from '../support/fidelity-models';
import { inProcessServers } from '../support/serve-in-process';
import { SYSTEM_PYTHON, sklearnSkipReason } from '../support/sklearn-models';

interface RouteCase {
  method: string;
  path: string;
  content_type: string | null;
  body: string | null;
  answer: { status: number; headers: Record<string, string>; body: string };
}
const recorded = JSON.parse(readFileSync(join(fidelityDir, 'mlflow-3.6.1.dev0', 'routes.json'), 'utf8')) as { version: string; cases: RouteCase[] };

function send(base: string, c: RouteCase): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = c.content_type === null ? {} : { 'content-type': c.content_type };
    const req = request(`${base}${c.path}`, { method: c.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const port = new URL(base).port;
        const kept: Record<string, string> = {};
        for (const k of Object.keys(recorded.cases[0]!.answer.headers).concat(['location', 'allow']))
          if (typeof res.headers[k] === 'string') kept[k] = (res.headers[k] as string).replace(port, '{port}');
        resolve({ status: res.statusCode ?? 0, headers: kept, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(c.body ?? undefined);
  });
}

describe.skipIf(sklearnSkipReason !== null)('MLflow 3.6.1.dev0 routes (Starlette/FastAPI): the real server vs preflight serve', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'preflight-routes-'));
  // PREFLIGHT_TRUST: the model is built by this test in its own temp folder; `serve` runs pickles only in trusted folders.
  const servers = inProcessServers({ ...process.env, PREFLIGHT_PYTHON: SYSTEM_PYTHON, PREFLIGHT_USER_DATA: join(tmp, 'user-data'), PREFLIGHT_TRUST: tmp });
  let base: string;
  beforeAll(async () => {
    buildFidelityModels(join(tmp, 'models'));
    base = await servers.start([join(tmp, 'models', 'regression'), '--server', 'mlflow', '--mlflow-version', recorded.version, '--port', '0'], '/invocations');
  }, 120_000);
  afterAll(async () => {
    await servers.stopAll();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('has the recorded route cases', () => {
    expect(recorded.cases.length).toBeGreaterThanOrEqual(30);
  });
  it.each(recorded.cases.map((c) => [`${c.method} ${c.path}`, c] as const))('%s', async (_name, c) => {
    const got = await send(base, c);
    const keys = Object.keys(c.answer.headers).sort();
    expect({ status: got.status, headers: Object.fromEntries(Object.entries(got.headers).filter(([k]) => keys.includes(k) || k === 'location' || k === 'allow')), body: got.body })
      .toEqual({ status: c.answer.status, headers: c.answer.headers, body: c.answer.body });
  });
});
