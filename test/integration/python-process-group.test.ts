/**
 * A model's predict may start processes of its own. They inherit the worker's stdout/stderr, so waiting
 * for those pipes to close waits for the helper, not for the worker: a timeout, a cancel or dispose()
 * must kill the worker's whole process group and answer at once. Real worker, real model, real `sleep`.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../src/shared/errors';
import type { Frame } from '../../src/shared/mlflow/payload/frame';
import type { ModelIn } from '../../src/shared/mlflow/payload/model-input';
import { RunnerErrorCodes } from '../../src/main/services/runner/onnx/runner-errors';
import { PythonEngine, type PythonModelRef } from '../../src/main/services/runner/python/python-engine';
import { buildHostileModels, sklearnSkipReason, SYSTEM_PYTHON, workerScript, type HostileModels } from '../support/sklearn-models';
import { processAlive } from '../support/processes';

if (sklearnSkipReason) console.warn(`python process-group tests skipped: ${sklearnSkipReason}`);

function action(a: string, x = 1.5): ModelIn {
  const frame: Frame = {
    kind: 'frame',
    nrows: 1,
    columns: [
      { name: 'action', dtype: 'object', values: [a] as never[], path: (r: number) => `$[${r}].action` },
      { name: 'x', dtype: 'float64', values: [x] as never[], path: (r: number) => `$[${r}].x` },
    ],
  };
  return frame;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

/** The AppError a call rejected with (fails the test when it resolved). */
const rejection = (p: Promise<unknown>): Promise<AppError> =>
  p.then(
    () => expect.unreachable('expected the call to fail'),
    (err: unknown) => {
      expect(err).toBeInstanceOf(AppError);
      return err as AppError;
    },
  );

describe.skipIf(sklearnSkipReason !== null)('Python worker runs in its own process group', () => {
  let m: HostileModels;
  const helpers: number[] = [];
  const ref = (): PythonModelRef => ({ modelDir: m.spawner, python: SYSTEM_PYTHON });
  const helperPid = (): number => Number(readFileSync(m.helperPidFile, 'utf8'));

  beforeAll(() => {
    m = buildHostileModels();
  });

  afterAll(() => {
    for (const pid of helpers) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    if (m) rmSync(m.dir, { recursive: true, force: true });
  });

  it('a timeout kills the helper the model started and answers within the timeout, not when the helper ends', async () => {
    const engine = new PythonEngine({ workerScript });
    try {
      await engine.load(ref());
      rmSync(m.helperPidFile, { force: true });
      const t0 = Date.now();
      // A short timeout for this call only: a loaded machine must not time out the others.
      const err = await rejection(engine.predict(ref(), action('hang'), { timeoutMs: 1500 }));
      const took = Date.now() - t0;
      expect(err.code).toBe(RunnerErrorCodes.TIMEOUT);
      expect(took).toBeLessThan(6000);
      expect(existsSync(m.helperPidFile)).toBe(true);
      const pid = helperPid();
      helpers.push(pid);
      expect(await until(() => !processAlive(pid), 3000)).toBe(true);
      const again = await engine.predict(ref(), action('ok', 2));
      expect(again.mlflow).toMatchObject({ ok: true, text: '{"predictions": [4.0]}' });
    } finally {
      await engine.dispose();
    }
  }, 30_000);

  it('a cancel kills the helper too', async () => {
    const engine = new PythonEngine({ workerScript });
    try {
      await engine.load(ref());
      rmSync(m.helperPidFile, { force: true });
      const ac = new AbortController();
      const p = engine.predict(ref(), action('hang'), { signal: ac.signal });
      expect(await until(() => existsSync(m.helperPidFile), 5000)).toBe(true);
      const t0 = Date.now();
      ac.abort();
      const err = await rejection(p);
      expect(err.code).toBe(ErrorCodes.CANCELLED);
      expect(Date.now() - t0).toBeLessThan(3000);
      const pid = helperPid();
      helpers.push(pid);
      expect(await until(() => !processAlive(pid), 3000)).toBe(true);
    } finally {
      await engine.dispose();
    }
  }, 30_000);

  it('dispose() returns promptly and ends a helper that outlived its predict call', async () => {
    const engine = new PythonEngine({ workerScript });
    rmSync(m.helperPidFile, { force: true });
    const r = await engine.predict(ref(), action('detach'));
    expect(r.mlflow).toMatchObject({ ok: true, text: '{"predictions": [1.0]}' });
    const pid = helperPid();
    helpers.push(pid);
    expect(processAlive(pid)).toBe(true);
    const t0 = Date.now();
    await engine.dispose();
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(await until(() => !processAlive(pid), 3000)).toBe(true);
  }, 30_000);
});

describe.skipIf(sklearnSkipReason !== null)('Python stderr without newlines (progress bars)', () => {
  let m: HostileModels;
  beforeAll(() => {
    m = buildHostileModels();
  });
  afterAll(() => {
    if (m) rmSync(m.dir, { recursive: true, force: true });
  });

  it('logs the progress bar\'s last state as one bounded line, not megabytes of carriage returns', async () => {
    const lines: string[] = [];
    const logger = { info: (msg: string) => lines.push(msg), warn: (msg: string) => lines.push(msg), error: (msg: string) => lines.push(msg) };
    const engine = new PythonEngine({ workerScript, logger });
    const ref: PythonModelRef = { modelDir: m.spawner, python: SYSTEM_PYTHON };
    try {
      // ~6 MB of "\rscoring i/n [###…]" with no newline at all.
      const r = await engine.predict(ref, action('progress', 80_000));
      expect(r.mlflow).toMatchObject({ ok: true, text: '{"predictions": [80000.0]}' });
    } finally {
      await engine.dispose();
    }
    const fromModel = lines.filter((l) => l.includes('scoring '));
    expect(fromModel.length).toBe(1);
    expect(fromModel[0]).toMatch(/scoring 80000\/80000 \[#*\]$/);
    expect(fromModel[0]).not.toContain('\r');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(5000);
  }, 30_000);
});
