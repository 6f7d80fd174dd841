/**
 * The "Python interpreter" setting over the real dispatcher (compose() with headless ports, strict output
 * checks, a temporary userData): a path is probed before it is saved and refused with a sentence naming it
 * when it is missing / not Python / too old; the runner and batch use it on their next model load (never a
 * worker started with the previous interpreter); Clear falls back to PREFLIGHT_PYTHON; the value survives a
 * restart (a new AppStore on the same folder).
 */
import { chmod, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Composition } from '../../src/main/app/compose';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { STORE_FILE_NAME } from '../../src/main/services/store/app-store';
import { PYTHON_INTERPRETER_SETTING } from '../../src/main/services/runner/python/python-interpreter-setting';
import { methodChannel } from '../../src/shared/ipc/channels';
import type { BatchSummaryData, PythonInterpreterSettingData, RunResultData, RunnerEnvironmentData } from '../../src/shared/ipc/contract';
import type { ErrorData } from '../../src/shared/errors';
import type { Result } from '../../src/shared/ipc/result';
import { buildSklearnModels, sklearnSkipReason, SYSTEM_PYTHON, type SklearnModels } from '../support/sklearn-models';
import { errorsToConsole, testHostPorts } from '../support/host-ports';

let tmp: string;
let worker: string;
let userData: string;
let app: Composition;
let m: SklearnModels;
/** Runs Debian's Python under another path: a distinct interpreter as far as Preflight can tell. */
let wrapper: string;
/** Debian's Python without site-packages (`-S`): a real Python ≥ 3.8 that cannot load an sklearn model. */
let bare: string;
const saved = { PREFLIGHT_PYTHON: process.env.PREFLIGHT_PYTHON };

const ctx = () => ({ senderId: 'test-window', signal: new AbortController().signal });
async function call<T>(ns: string, method: string, input: unknown): Promise<Result<T>> {
  return (await app.dispatch(methodChannel(ns as never, method as never), input, ctx())) as Result<T>;
}
async function ok<T>(ns: string, method: string, input: unknown): Promise<T> {
  const r = await call<T>(ns, method, input);
  if (!r.ok) throw new Error(`${ns}.${method} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}
async function fails(ns: string, method: string, input: unknown): Promise<ErrorData> {
  const r = await call(ns, method, input);
  if (r.ok) throw new Error(`${ns}.${method} succeeded with ${JSON.stringify(r.value).slice(0, 200)}; an error was expected`);
  return r.error;
}
const setPython = (path: string | null) => ok<PythonInterpreterSettingData>('settings', 'setPythonInterpreter', { path });
const getPython = () => ok<PythonInterpreterSettingData>('settings', 'getPythonInterpreter', {});
const environment = (modelPath: string) => ok<RunnerEnvironmentData>('runner', 'environment', { modelPath });
const diabetesBody = () => JSON.stringify({ input_data: { columns: m.expected.diabetes.columns, data: m.expected.diabetes.rows } });
const predictDiabetes = () => call<RunResultData>('runner', 'predict', { modelPath: m.diabetes, body: diabetesBody(), server: 'azureml', contentType: 'application/json' });

async function savedOnDisk(): Promise<unknown> {
  const file = JSON.parse(await readFile(join(userData, STORE_FILE_NAME), 'utf8')) as { settings: Record<string, unknown> };
  return file.settings[PYTHON_INTERPRETER_SETTING];
}

async function script(name: string, text: string, mode = 0o755): Promise<string> {
  const p = join(tmp, 'bin', name);
  await writeFile(p, text);
  await chmod(p, mode);
  return p;
}

function composeApp(): Promise<Composition> {
  return compose(testHostPorts({ log: errorsToConsole, userDataDir: userData, onnxWorkerPath: worker }));
}

describe.skipIf(sklearnSkipReason !== null)('settings.setPythonInterpreter through the dispatcher', () => {
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'preflight-python-setting-'));
    await mkdir(join(tmp, 'bin'));
    userData = join(tmp, 'user-data');
    worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
    wrapper = await script('wrapped-python', `#!/bin/sh\nexec ${SYSTEM_PYTHON} "$@"\n`);
    bare = await script('bare-python', `#!/bin/sh\nexec ${SYSTEM_PYTHON} -S "$@"\n`);
    // The environment's choice, which Clear must fall back to.
    process.env.PREFLIGHT_PYTHON = wrapper;
    m = buildSklearnModels();
    app = await composeApp();
  }, 90_000);

  afterAll(async () => {
    await app?.dispose();
    if (saved.PREFLIGHT_PYTHON === undefined) delete process.env.PREFLIGHT_PYTHON;
    else process.env.PREFLIGHT_PYTHON = saved.PREFLIGHT_PYTHON;
    if (m) await rm(m.dir, { recursive: true, force: true });
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('nothing set: discovery uses PREFLIGHT_PYTHON, and the setting says so', async () => {
    expect(await getPython()).toEqual({ path: null, interpreter: null, problem: null, fallbacks: expect.objectContaining({ PREFLIGHT_PYTHON: wrapper }) as unknown });
    const env = await environment(m.diabetes);
    expect(env.python?.chosen).toMatchObject({ path: wrapper, source: 'PREFLIGHT_PYTHON' });
  });

  it('set to /usr/bin/python3: saved, probed, and the model runs there (source "setting")', async () => {
    const r = await setPython(SYSTEM_PYTHON);
    expect(r.path).toBe(SYSTEM_PYTHON);
    expect(r.problem).toBeNull();
    expect(r.interpreter?.version).toMatch(/^3\.\d+\.\d+/);
    expect(await savedOnDisk()).toBe(SYSTEM_PYTHON);

    const env = await environment(m.diabetes);
    expect(env.python?.chosen).toMatchObject({ path: SYSTEM_PYTHON, source: 'setting' });
    expect(env.summary).toContain(SYSTEM_PYTHON);

    const run = await predictDiabetes();
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value).toMatchObject({ status: 200, body_text: m.expected.diabetes.azureml_body });
    expect(run.value.loader?.interpreter).toBe(SYSTEM_PYTHON);
  }, 60_000);

  it('refuses what is not a usable Python, naming the path and what is wrong; the setting stays as it was', async () => {
    const missing = join(tmp, 'bin', 'no-such-python');
    const garbage = await script('garbage', '#!/bin/sh\necho "definitely not python"\n');
    const python2 = await script('python2.7', `#!/bin/sh\necho '{"probe": 1, "executable": "/opt/python2.7", "version": "2.7.18", "has": {}}'\n`);
    const notExecutable = await script('python-no-x', `#!/bin/sh\nexec ${SYSTEM_PYTHON} "$@"\n`, 0o644);
    const cases: [string, RegExp][] = [
      [missing, /does not exist/],
      [garbage, /is not a Python interpreter \(it printed "definitely not python/],
      [python2, /is Python 2\.7\.18; Preflight's worker needs Python 3\.8 or newer/],
      [notExecutable, /is not executable/],
      ['venv/bin/python', /is a relative path/],
    ];
    if (existsSync('/bin/true')) cases.push(['/bin/true', /is not a Python interpreter/]);
    for (const [path, why] of cases) {
      const e = await fails('settings', 'setPythonInterpreter', { path });
      expect(e.code, path).toBe('E_INVALID_INPUT');
      expect(e.message, path).toContain(JSON.stringify(path));
      expect(e.message, path).toMatch(why);
      expect(e.message, path).toContain('Nothing was saved');
    }
    expect(await fails('settings', 'setPythonInterpreter', { path: '   ' })).toMatchObject({ code: 'E_INVALID_INPUT', message: expect.stringContaining('empty') as unknown });
    expect((await getPython()).path).toBe(SYSTEM_PYTHON);
    expect(await savedOnDisk()).toBe(SYSTEM_PYTHON);
  }, 60_000);

  it('a changed interpreter applies to the next run: no answer comes from the worker started with the old one', async () => {
    // A worker in /usr/bin/python3 is running (previous test). Switch to a Python without site-packages.
    await setPython(bare);
    const env = await environment(m.diabetes);
    expect(env.python?.chosen).toMatchObject({ path: bare, source: 'setting' });
    // The explicit choice wins even when it lacks packages: the user gets findings, not a silent switch.
    expect(env.python?.findings.map((f) => f.code)).toContain('python-cannot-load-model');
    const failed = await predictDiabetes();
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('E_MODEL_LOAD');
      expect(failed.error.message).toMatch(/cloudpickle|numpy|sklearn|No module/);
    }

    await setPython(wrapper);
    const viaWrapper = await predictDiabetes();
    if (!viaWrapper.ok) throw new Error(viaWrapper.error.message);
    expect(viaWrapper.value.status).toBe(200);
    expect(viaWrapper.value.loader?.interpreter).toBe(wrapper);

    await setPython(SYSTEM_PYTHON);
    const back = await predictDiabetes();
    if (!back.ok) throw new Error(back.error.message);
    expect(back.value.loader?.interpreter).toBe(SYSTEM_PYTHON);
  }, 90_000);

  it('batch jobs read the setting when they start', async () => {
    const input = join(tmp, 'batch-in.csv');
    const { columns, rows } = m.expected.diabetes;
    await writeFile(input, [columns.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
    await setPython(bare);
    const r1 = await call<BatchSummaryData>('batch', 'run', { modelPath: m.diabetes, input, outDir: join(tmp, 'batch-out-1') });
    // Started in the bare Python, the job fails (the pickle needs packages it lacks) and writes no predictions.
    expect(r1).toMatchObject({ ok: true, value: { status: 'failed', engine: 'python', predictionsPath: null } });
    await setPython(SYSTEM_PYTHON);
    const r2 = await ok<BatchSummaryData>('batch', 'run', { modelPath: m.diabetes, input, outDir: join(tmp, 'batch-out-2') });
    expect(r2).toMatchObject({ status: 'succeeded', engine: 'python', rows: rows.length });
  }, 90_000);

  it('Clear falls back to PREFLIGHT_PYTHON for the next run', async () => {
    const r = await setPython(null);
    expect(r).toMatchObject({ path: null, interpreter: null, problem: null });
    expect(await savedOnDisk()).toBeNull();
    const env = await environment(m.diabetes);
    expect(env.python?.chosen).toMatchObject({ path: wrapper, source: 'PREFLIGHT_PYTHON' });
    const run = await predictDiabetes();
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.loader?.interpreter).toBe(wrapper);
  }, 60_000);

  it('survives a restart (a new AppStore on the same folder); a saved interpreter removed later is reported', async () => {
    await setPython(SYSTEM_PYTHON);
    await app.dispose();
    app = await composeApp();
    expect(await getPython()).toMatchObject({ path: SYSTEM_PYTHON, problem: null });
    expect((await environment(m.diabetes)).python?.chosen).toMatchObject({ path: SYSTEM_PYTHON, source: 'setting' });

    const doomed = await script('doomed-python', `#!/bin/sh\nexec ${SYSTEM_PYTHON} "$@"\n`);
    await setPython(doomed);
    await unlink(doomed);
    const now = await getPython();
    expect(now.path).toBe(doomed);
    expect(now.problem).toContain(doomed);
    expect(now.problem).toMatch(/does not exist/);
    const run = await predictDiabetes();
    expect(run.ok).toBe(false);
    if (!run.ok) {
      expect(run.error.code).toBe('E_ENVIRONMENT');
      expect(run.error.message).toContain('the Python interpreter setting');
      expect(run.error.message).toContain(doomed);
    }
    await setPython(null);
  }, 90_000);
});
