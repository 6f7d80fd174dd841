/**
 * A Python model's local server loads the model when it starts, as the real servers do (their worker imports the app
 * before its first answer): the first request used to pay for starting Python, importing pandas and scikit-learn and
 * unpickling the model (2–8 s) after "Serving … at" was printed. Real scikit-learn model, real Python worker, real
 * sockets; the adapter around the real PythonRunner only records what the server asked for and when.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonRunner } from '../../src/main/services/runner/python/python-runner';
import { RunnerService, type PythonEngineAdapter } from '../../src/main/services/runner/runner-service';
import { startScoringServer, type ScoringServer } from '../../src/main/services/server/scoring-server';
import { buildSklearnModels, sklearnSkipReason, SYSTEM_PYTHON, workerScript, type SklearnModels } from '../support/sklearn-models';

let sk: SklearnModels;
let runner: RunnerService;
let server: ScoringServer;
const calls: string[] = [];
let preloaded: Promise<void> | null = null;

describe.skipIf(sklearnSkipReason !== null)('a Python model is loaded when its server starts, not on the first request', () => {
  beforeAll(async () => {
    sk = buildSklearnModels();
    const real = new PythonRunner({ workerScript, env: { PREFLIGHT_PYTHON: SYSTEM_PYTHON, PATH: process.env.PATH } });
    const python: PythonEngineAdapter = {
      predict: (...args) => {
        calls.push('predict');
        return real.predict(...args);
      },
      preload: (model, options) => {
        calls.push('preload');
        preloaded = real.preload(model, options);
        return preloaded;
      },
      dispose: () => real.dispose(),
    };
    runner = new RunnerService({ python });
    server = await startScoringServer({ modelPath: sk.diabetes, server: 'azureml', runner });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await runner?.close();
    if (sk) await rm(sk.dir, { recursive: true, force: true });
  });

  it('starts loading the model at start-up, and the first request is answered by the model it loaded', async () => {
    // Before any request: the server asked for the load, and the load completes (the model is in its worker).
    expect(calls).toEqual(['preload']);
    await expect(preloaded).resolves.toBeUndefined();
    const { columns, rows } = sk.expected.diabetes;
    const res = await fetch(`${server.url}/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
      body: JSON.stringify({ input_data: { columns, data: rows } }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(sk.expected.diabetes.azureml_body);
    expect(calls).toEqual(['preload', 'predict']);
  }, 120_000);
});
