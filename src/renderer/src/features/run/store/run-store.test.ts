import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { EventName, EventPayload, PythonInterpreterSettingData, RunnerEnvironmentData, ServerInfoData } from '@shared/ipc/contract';
import { createRunStore, type RunApi } from './run-store';
import { LOG_LIMIT, notStartingWarning, versionChange } from './selectors';

/**
 * The local runner's store against an in-memory host: an engine lookup, servers that start and stop, the interpreter
 * setting, and pushed events the test fires by hand. Every call is counted by namespace.method.
 */
function memoryHost() {
  const calls: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let nextId = 1;
  const running: ServerInfoData[] = [];
  const stopRefused = new Set<string>();
  // The interpreter setting as main keeps it: only paths that "are Python" are saved.
  let pythonPath: string | null = null;
  const environmentCalls: string[] = [];
  const fallbacks = { PREFLIGHT_PYTHON: null, VIRTUAL_ENV: null, CONDA_PREFIX: null };
  const settingView = (): PythonInterpreterSettingData => ({
    path: pythonPath,
    interpreter: pythonPath ? { executable: pythonPath, version: '3.11.2' } : null,
    problem: null,
    fallbacks,
  });
  const pythonEnvironment = (): RunnerEnvironmentData => {
    const chosen = pythonPath ?? '/usr/bin/python3';
    return {
      engine: 'python',
      summary: `runs in ${chosen}`,
      python: {
        chosen: { path: chosen, executable: chosen, source: pythonPath ? 'setting' : 'PATH', version: '3.11.2', mlflowVersion: null },
        loader: 'pickle-direct',
        candidates: [],
        packages: [],
        findings: [],
      },
    };
  };
  const api: RunApi = {
    runner: {
      environment: async ({ modelPath }) => {
        environmentCalls.push(modelPath);
        if (modelPath === '/sklearn') return pythonEnvironment();
        if (modelPath === '/nopython') throw new AppError('E_ENVIRONMENT', 'PREFLIGHT_PYTHON names "/x", which does not exist.');
        return { engine: 'onnx', summary: 'runs in onnxruntime-node', python: null };
      },
    },
    server: {
      start: async ({ modelPath, server, mlflowVersion }) => {
        if (modelPath === '/broken') throw new AppError('E_MODEL_LOAD', 'The model cannot load.');
        // As main says of the sample (its signature has "required", which 2.7.1 cannot read): the pin, 2.16.2, starts.
        const wouldNotStart = mlflowVersion === '2.7.1' ? { reason: 'The signature carries `"required"`; MLflow 2.7.1 cannot read it.', log: 'TypeError: …', pinnedStarts: '2.16.2', fix: null } : null;
        const info: ServerInfoData = { id: `s${nextId++}`, modelPath, server, url: 'http://127.0.0.1:5001', engine: 'onnx', mlflowVersion: mlflowVersion ?? '2.16.2', keyHint: server === 'azureml' ? 'abcd…' : null, startedAt: '2026-01-01T00:00:00Z', wouldNotStart };
        running.push(info);
        return info;
      },
      stop: async ({ id }) => {
        if (stopRefused.has(id)) throw new AppError('E_INTERNAL', 'The server did not stop.');
        const k = running.findIndex((s) => s.id === id);
        if (k >= 0) running.splice(k, 1);
        return { stopped: k >= 0 };
      },
      list: async () => ({ servers: [...running], clipboard: { available: false, reason: 'printed in the terminal' } }),
      copyKey: async () => ({ copied: false, message: 'printed in the terminal' }),
    },
    settings: {
      getPythonInterpreter: async () => settingView(),
      setPythonInterpreter: async ({ path }) => {
        if (path !== null && !path.startsWith('/usr/bin/python')) {
          throw new AppError('E_INVALID_INPUT', `The Python interpreter ${JSON.stringify(path)} does not exist. Nothing was saved.`, { details: { path } });
        }
        pythonPath = path;
        return settingView();
      },
    },
    on: ((event: string, listener: (p: unknown) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    }) as RunApi['on'],
  };
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => listeners.get(event)?.forEach((l) => l(payload));
  // Count every call the store makes, so a test can say which host calls opening a model costs.
  for (const ns of ['runner', 'server', 'settings'] as const) {
    const methods = api[ns] as unknown as Record<string, (input: unknown) => Promise<unknown>>;
    for (const [name, fn] of Object.entries(methods)) methods[name] = (input) => (calls.push(`${ns}.${name}`), fn(input));
  }
  return { api, calls, emit, environmentCalls, pythonPath: () => pythonPath, stopRefused };
}

describe('run store: opening a model', () => {
  it('looks up which engine runs the model, or why none can', async () => {
    const store = createRunStore(memoryHost().api);
    await store.getState().setModel('/a');
    expect(store.getState().environment).toEqual({ status: 'loaded', environment: { engine: 'onnx', summary: 'runs in onnxruntime-node', python: null } });
    await store.getState().setModel('/nopython');
    expect(store.getState().environment).toMatchObject({ status: 'error', error: { code: 'E_ENVIRONMENT' } });
  });

  it('costs one engine lookup, one server list and one setting read — no request of its own (the playground holds it)', async () => {
    const host = memoryHost();
    const store = createRunStore(host.api);
    await store.getState().setModel('/a');
    await store.getState().setModel('/a'); // shown again (tab switch): nothing asked again
    expect(host.calls.sort()).toEqual(['runner.environment', 'server.list', 'settings.getPythonInterpreter']);
  });
});

describe('run store: local servers', () => {
  it("a server started with the playground's MLflow version emulates that version, not the pin", async () => {
    const host = memoryHost();
    const store = createRunStore(host.api);
    await store.getState().setModel('/a');
    store.getState().setServer('mlflow');
    await store.getState().startServer('1.30.1');
    expect(store.getState().servers[0]).toMatchObject({ server: 'mlflow', mlflowVersion: '1.30.1' });
  });
  it('start adds the server, events fill its log newest first (bounded), stop removes it', async () => {
    const host = memoryHost();
    const store = createRunStore(host.api);
    const off = store.getState().subscribe();
    await store.getState().setModel('/a');
    expect(store.getState().clipboard).toEqual({ available: false, reason: 'printed in the terminal' });
    await store.getState().startServer();
    const [info] = store.getState().servers;
    expect(info).toMatchObject({ id: 's1', server: 'azureml', keyHint: 'abcd…' });

    for (let k = 0; k < LOG_LIMIT + 5; k++) host.emit('server.request', { id: 's1', time: `t${k}`, method: 'POST', path: '/score', status: 200, ms: 1 });
    const log = store.getState().logs.s1!;
    expect(log).toHaveLength(LOG_LIMIT);
    expect(log[0]!.time).toBe(`t${LOG_LIMIT + 4}`);
    // A crashed model process is reported in the same log, with its reason.
    host.emit('server.request', { id: 's1', time: 'crash', method: '', path: '', status: 0, ms: 0, error: 'the model process crashed (SIGABRT); restarted' });
    expect(store.getState().logs.s1![0]).toMatchObject({ time: 'crash', error: 'the model process crashed (SIGABRT); restarted' });

    await store.getState().copyKey('s1');
    expect(store.getState().serverAction.keyMessage).toBe('printed in the terminal');

    await store.getState().stopServer('s1');
    expect(store.getState().servers).toEqual([]);
    off();
  });

  it('restart: the server started on the version the real server cannot start with is replaced by one on the pin', async () => {
    const host = memoryHost();
    const store = createRunStore(host.api);
    store.getState().subscribe();
    await store.getState().setModel('/a');
    await store.getState().startServer('2.7.1');
    const old = store.getState().servers[0]!;
    expect(notStartingWarning(old)?.todo).toContain("empty the playground's MLflow field (MLflow 2.16.2");
    // The playground back on the pin: the panel sees the running server out of date and restarts it on the pin.
    expect(versionChange(old, '2.16.2')).toEqual({ running: '2.7.1', wanted: '2.16.2' });
    await store.getState().restartServer(old.id, null);
    const [now] = store.getState().servers;
    expect(store.getState().servers).toHaveLength(1);
    expect(now).toMatchObject({ id: 's2', mlflowVersion: '2.16.2', wouldNotStart: null });
    expect(versionChange(now!, '2.16.2')).toBeNull();
    expect(store.getState().logs.s2).toEqual([]);
    expect(store.getState()).toMatchObject({ stoppedNotice: null, serverAction: { status: 'idle', error: null } });
    expect(host.calls.filter((c) => c === 'server.stop' || c === 'server.start')).toEqual(['server.start', 'server.stop', 'server.start']);
  });

  it('restart: a stop that fails starts nothing and shows why', async () => {
    const host = memoryHost();
    const store = createRunStore(host.api);
    await store.getState().setModel('/a');
    await store.getState().startServer('2.7.1');
    host.stopRefused.add('s1');
    await store.getState().restartServer('s1', null);
    expect(store.getState().servers.map((s) => s.id)).toEqual(['s1']);
    expect(store.getState().serverAction).toMatchObject({ status: 'idle', error: { message: 'The server did not stop.' } });
    expect(host.calls.filter((c) => c === 'server.start')).toHaveLength(1);
  });

  it('a server stopped by the host says so; a failed start shows the error', async () => {
    const host = memoryHost();
    const store = createRunStore(host.api);
    store.getState().subscribe();
    await store.getState().setModel('/a');
    await store.getState().startServer();
    host.emit('server.stopped', { id: 's1', reason: 'Preflight is shutting down' });
    expect(store.getState().servers).toEqual([]);
    expect(store.getState().stoppedNotice).toBe('The server stopped: Preflight is shutting down.');

    await store.getState().setModel('/broken');
    await store.getState().startServer();
    expect(store.getState().serverAction).toMatchObject({ status: 'idle', error: { code: 'E_MODEL_LOAD' } });
  });
});

describe('run store: the Python interpreter setting', () => {
  it('reads the setting with the model; Use saves the typed path and looks up the environment again', async () => {
    const host = memoryHost();
    const store = createRunStore(host.api);
    const s = () => store.getState();
    await s().setModel('/sklearn');
    expect(s().pythonSetting).toMatchObject({ status: 'idle', value: { path: null }, error: null });
    expect(s().environment).toMatchObject({ status: 'loaded', environment: { python: { chosen: { source: 'PATH' } } } });

    s().setPythonDraft('  /usr/bin/python3.11  ');
    await s().usePythonInterpreter();
    expect(host.pythonPath()).toBe('/usr/bin/python3.11');
    expect(s().pythonSetting).toEqual({ status: 'idle', draft: '', error: null, value: expect.objectContaining({ path: '/usr/bin/python3.11' }) as unknown });
    expect(host.environmentCalls).toEqual(['/sklearn', '/sklearn']);
    expect(s().environment).toMatchObject({ status: 'loaded', environment: { python: { chosen: { path: '/usr/bin/python3.11', source: 'setting' } } } });
  });

  it('a refused path shows the error, keeps what was typed and the saved setting; editing clears the error', async () => {
    const host = memoryHost();
    const store = createRunStore(host.api);
    const s = () => store.getState();
    await s().setModel('/sklearn');
    s().setPythonDraft('/usr/bin/python3');
    await s().usePythonInterpreter();
    s().setPythonDraft('/opt/nothing/python');
    await s().usePythonInterpreter();
    expect(s().pythonSetting).toMatchObject({ status: 'idle', draft: '/opt/nothing/python', error: { code: 'E_INVALID_INPUT' }, value: { path: '/usr/bin/python3' } });
    expect(s().pythonSetting.error?.message).toContain('/opt/nothing/python');
    expect(host.pythonPath()).toBe('/usr/bin/python3');
    // No environment lookup for a refused path: nothing changed in main.
    expect(host.environmentCalls).toHaveLength(2);
    s().setPythonDraft('/opt/nothing/python3');
    expect(s().pythonSetting.error).toBeNull();
  });

  it('an empty field does nothing; Clear removes the setting and the model falls back', async () => {
    const host = memoryHost();
    const store = createRunStore(host.api);
    const s = () => store.getState();
    await s().setModel('/sklearn');
    s().setPythonDraft('   ');
    await s().usePythonInterpreter();
    expect(host.environmentCalls).toHaveLength(1);
    s().setPythonDraft('/usr/bin/python3');
    await s().usePythonInterpreter();
    await s().clearPythonInterpreter();
    expect(host.pythonPath()).toBeNull();
    expect(s().pythonSetting.value?.path).toBeNull();
    expect(s().environment).toMatchObject({ status: 'loaded', environment: { python: { chosen: { source: 'PATH' } } } });
  });
});
