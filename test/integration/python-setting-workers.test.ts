/**
 * What a change of the "Python interpreter" setting does to running Python workers: the next run starts a
 * worker in the new interpreter, and the worker left in the old one is stopped (not kept alive for the
 * app's lifetime, and never asked to answer again). Real PythonEngine, real worker processes.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonEngine } from '../../src/main/services/runner/python/python-engine';
import { PythonRunner } from '../../src/main/services/runner/python/python-runner';
import { RunnerService } from '../../src/main/services/runner/runner-service';
import { buildSklearnModels, sklearnSkipReason, SYSTEM_PYTHON, workerScript, type SklearnModels } from '../support/sklearn-models';

describe.skipIf(sklearnSkipReason !== null)('PythonRunner: a changed interpreter setting and the workers', () => {
  let tmp: string;
  let m: SklearnModels;
  let wrapper: string;
  let setting: string | null = null;
  let engine: PythonEngine;
  let runner: RunnerService;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'preflight-python-setting-workers-'));
    wrapper = join(tmp, 'wrapped-python');
    await writeFile(wrapper, `#!/bin/sh\nexec ${SYSTEM_PYTHON} "$@"\n`);
    await chmod(wrapper, 0o755);
    m = buildSklearnModels();
    engine = new PythonEngine({ workerScript });
    // PREFLIGHT_PYTHON and PATH are out of the picture: only the setting decides.
    const python = new PythonRunner({ workerScript, engine, setting: () => setting, env: { PATH: '' } });
    runner = new RunnerService({ python });
  }, 60_000);

  afterAll(async () => {
    await runner?.close();
    if (m) await rm(m.dir, { recursive: true, force: true });
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const predict = () =>
    runner.predict({
      modelPath: m.diabetes,
      body: JSON.stringify({ dataframe_split: { columns: m.expected.diabetes.columns, data: m.expected.diabetes.rows } }),
      server: 'mlflow',
      contentType: 'application/json',
    });

  it('the next run uses the new interpreter and the old worker process is stopped', async () => {
    setting = SYSTEM_PYTHON;
    const first = await predict();
    expect(first).toMatchObject({ status: 200, body_text: m.expected.diabetes.mlflow_body });
    expect(first.loader?.interpreter).toBe(SYSTEM_PYTHON);
    const oldWorker = engine.processInfo({ modelDir: m.diabetes, python: SYSTEM_PYTHON });
    expect(oldWorker).toMatchObject({ running: true });
    const oldPid = oldWorker!.pid!;

    setting = wrapper;
    const second = await predict();
    expect(second).toMatchObject({ status: 200, body_text: m.expected.diabetes.mlflow_body });
    expect(second.loader?.interpreter).toBe(wrapper);
    expect(engine.processInfo({ modelDir: m.diabetes, python: wrapper })).toMatchObject({ running: true });
    expect(engine.processInfo({ modelDir: m.diabetes, python: SYSTEM_PYTHON })).toBeNull();
    expect(isAlive(oldPid)).toBe(false);

    // Same setting again: the cached discovery and the running worker are reused (no new process).
    const pid = engine.processInfo({ modelDir: m.diabetes, python: wrapper })!.pid;
    await predict();
    expect(engine.processInfo({ modelDir: m.diabetes, python: wrapper })).toMatchObject({ running: true, pid, starts: 1 });
  }, 60_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
