/**
 * The interpreter is never a relative path: relative to what? The worker runs in the model folder, so a
 * relative interpreter would be a program *inside the model folder* — a file the model's author chose.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../src/shared/errors';
import { PythonEngine } from '../../src/main/services/runner/python/python-engine';
import { PythonInterpreterSetting, PYTHON_INTERPRETER_SETTING } from '../../src/main/services/runner/python/python-interpreter-setting';
import { workerScript } from '../support/sklearn-models';

let tmp: string;
let modelDir: string;
let marker: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-relpy-'));
  modelDir = join(tmp, 'model');
  marker = join(tmp, 'ran');
  await mkdir(join(modelDir, 'bin'), { recursive: true });
  await writeFile(join(modelDir, 'MLmodel'), 'flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n');
  // A "python" shipped inside the model folder.
  await writeFile(join(modelDir, 'bin', 'python3'), `#!/bin/sh\ntouch ${JSON.stringify(marker)}\nexit 1\n`);
  await chmod(join(modelDir, 'bin', 'python3'), 0o755);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('relative interpreter paths are refused', () => {
  it('the engine refuses a relative interpreter instead of running a program from the model folder', async () => {
    const engine = new PythonEngine({ workerScript });
    try {
      let err: unknown;
      try {
        await engine.load({ modelDir, python: 'bin/python3' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe(ErrorCodes.INVALID_INPUT);
      expect((err as AppError).message).toBe('The Python interpreter "bin/python3" is a relative path; Preflight cannot tell what it is relative to. Give the full path (e.g. /home/you/project/.venv/bin/python).');
      expect(existsSync(marker)).toBe(false);
    } finally {
      await engine.dispose();
    }
  });

  it('the setting refuses "." and ".." (not command names) and ignores a relative value saved by hand', async () => {
    const saved: Record<string, unknown> = {};
    const store = { getSetting: (k: string) => saved[k], setSetting: async (k: string, v: unknown) => void (saved[k] = v) };
    const setting = new PythonInterpreterSetting({ store, env: { HOME: tmp, PATH: '/usr/bin:/bin' } });
    for (const path of ['.', '..', './', 'venv/bin/python']) {
      await expect(setting.set(path)).rejects.toMatchObject({ code: ErrorCodes.INVALID_INPUT, message: expect.stringContaining('is a relative path') });
    }
    expect(saved[PYTHON_INTERPRETER_SETTING]).toBeUndefined();
    saved[PYTHON_INTERPRETER_SETTING] = 'venv/bin/python';
    expect(setting.current()).toBeNull();
    expect((await setting.describe()).problem).toMatch(/is a relative path/);
  });
});
