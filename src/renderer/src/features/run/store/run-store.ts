import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorData } from '@shared/errors';
import type { ClientApi } from '@shared/ipc/create-api';
import type { PythonInterpreterSettingData, RunnerEnvironmentData, ServerInfoData } from '@shared/ipc/contract';
import { SERVER_STOPPED_BY_USER } from '@shared/ipc/contract';
import { toErrorData } from '../../../lib/errors';
import { appendLog, type LogLine, type Server } from './selectors';

/**
 * The local runner's state (under the playground): which engine and interpreter run the model, the "Python
 * interpreter" setting, and the app's local servers with their live request logs. Sending requests is the
 * playground's job (its store holds the request). One store for the app lifetime, so a server's log keeps
 * growing while another tab is shown.
 */

/** Which engine and interpreter will run the model (looked up when the model is shown). */
export type EnvironmentView =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'loaded'; environment: RunnerEnvironmentData }
  | { status: 'error'; error: ErrorData };

/** The "Python interpreter" setting as main last reported it, the path being typed, and the last refusal. */
export interface PythonSettingState {
  /** null until main has answered once. */
  value: PythonInterpreterSettingData | null;
  status: 'idle' | 'loading' | 'saving';
  /** What the user is typing into the field (kept while they switch models). */
  draft: string;
  /** Why the last Use/Clear was refused (shown under the field); cleared by the next success or edit. */
  error: ErrorData | null;
}

export interface ServerAction {
  status: 'idle' | 'starting' | 'stopping';
  error: ErrorData | null;
  /** The last "Copy key" outcome, shown next to the button. */
  keyMessage: string | null;
}

export interface RunState {
  modelPath: string | null;
  /** The profile a local server is started with ("Serve as"). */
  server: Server;
  environment: EnvironmentView;
  servers: ServerInfoData[];
  clipboard: { available: boolean; reason: string | null } | null;
  /** Server id → its request log, newest first. */
  logs: Record<string, LogLine[]>;
  /** Why a server stopped without the user asking (shown once). */
  stoppedNotice: string | null;
  serverAction: ServerAction;
  pythonSetting: PythonSettingState;

  setModel(path: string): Promise<void>;
  setServer(server: Server): void;
  refreshServers(): Promise<void>;
  /** `mlflowVersion`: the MLflow version to serve instead of the model's pin (the playground's choice). */
  startServer(mlflowVersion?: string | null): Promise<void>;
  stopServer(id: string): Promise<void>;
  /**
   * Stop a server and start it again for this model and profile on `mlflowVersion` (the playground's choice, null: the
   * pin): a running server keeps the version it started with. Nothing starts when the stop fails (its error shows).
   */
  restartServer(id: string, mlflowVersion?: string | null): Promise<void>;
  copyKey(id: string): Promise<void>;
  /** Look again at which engine and interpreter run the current model. */
  refreshEnvironment(): Promise<void>;
  setPythonDraft(text: string): void;
  /** Save the typed path as the interpreter setting (main probes it first); then refresh the environment. */
  usePythonInterpreter(): Promise<void>;
  /** Remove the setting (discovery falls back to PREFLIGHT_PYTHON, venv/conda, PATH); then refresh the environment. */
  clearPythonInterpreter(): Promise<void>;
  /** Follow `server.request` / `server.stopped` pushes; returns the unsubscribe. */
  subscribe(): () => void;
}

/** Of the runner only the engine lookup: sending requests is the playground's (compare.run). */
export type RunApi = { runner: Pick<ClientApi['runner'], 'environment'> } & Pick<ClientApi, 'server' | 'settings' | 'on'>;
export type RunStore = StoreApi<RunState>;

const IDLE_ACTION: ServerAction = { status: 'idle', error: null, keyMessage: null };
const NO_PYTHON_SETTING: PythonSettingState = { value: null, status: 'idle', draft: '', error: null };

export function createRunStore(api: RunApi): RunStore {
  let modelGeneration = 0;

  return createStore<RunState>()((set, get) => {

    const loadEnvironment = async (path: string, mine: number): Promise<void> => {
      set({ environment: { status: 'loading' } });
      try {
        const environment = await api.runner.environment({ modelPath: path });
        if (mine === modelGeneration) set({ environment: { status: 'loaded', environment } });
      } catch (error) {
        if (mine === modelGeneration) set({ environment: { status: 'error', error: toErrorData(error) } });
      }
    };
    const loadPythonSetting = async (): Promise<void> => {
      if (get().pythonSetting.status !== 'idle') return;
      set({ pythonSetting: { ...get().pythonSetting, status: 'loading' } });
      try {
        const value = await api.settings.getPythonInterpreter({});
        set({ pythonSetting: { ...get().pythonSetting, value, status: 'idle' } });
      } catch (error) {
        set({ pythonSetting: { ...get().pythonSetting, status: 'idle', error: toErrorData(error) } });
      }
    };
    /** One Use/Clear at a time; on success the environment is looked up again, since discovery changed. */
    const savePythonSetting = async (path: string | null): Promise<void> => {
      if (get().pythonSetting.status === 'saving') return;
      set({ pythonSetting: { ...get().pythonSetting, status: 'saving', error: null } });
      try {
        const value = await api.settings.setPythonInterpreter({ path });
        set({ pythonSetting: { value, status: 'idle', draft: '', error: null } });
      } catch (error) {
        set({ pythonSetting: { ...get().pythonSetting, status: 'idle', error: toErrorData(error) } });
        return;
      }
      await get().refreshEnvironment();
    };

    return {
      modelPath: null,
      server: 'azureml',
      environment: { status: 'idle' },
      servers: [],
      clipboard: null,
      logs: {},
      stoppedNotice: null,
      serverAction: IDLE_ACTION,
      pythonSetting: NO_PYTHON_SETTING,

      async setModel(path) {
        if (get().modelPath === path && get().environment.status !== 'error') return;
        const mine = ++modelGeneration;
        set({ modelPath: path, serverAction: IDLE_ACTION });
        await Promise.all([get().refreshServers(), loadEnvironment(path, mine), loadPythonSetting()]);
      },
      async refreshEnvironment() {
        const path = get().modelPath;
        if (path === null) return;
        await loadEnvironment(path, modelGeneration);
      },
      setPythonDraft(text) {
        set({ pythonSetting: { ...get().pythonSetting, draft: text, error: null } });
      },
      async usePythonInterpreter() {
        const draft = get().pythonSetting.draft.trim();
        if (draft === '') return;
        await savePythonSetting(draft);
      },
      async clearPythonInterpreter() {
        await savePythonSetting(null);
      },
      setServer(server) {
        if (server === get().server) return;
        set({ server, serverAction: { ...get().serverAction, error: null, keyMessage: null } });
      },

      async refreshServers() {
        try {
          const r = await api.server.list({});
          set({ servers: r.servers, clipboard: r.clipboard });
        } catch {
          // A list failure leaves the last known list; starting or stopping reports its own errors.
        }
      },
      async startServer(mlflowVersion = null) {
        const { modelPath, server } = get();
        if (modelPath === null || get().serverAction.status !== 'idle') return;
        set({ serverAction: { status: 'starting', error: null, keyMessage: null }, stoppedNotice: null });
        try {
          const info = await api.server.start({ modelPath, server, ...(mlflowVersion ? { mlflowVersion } : {}) });
          set({ servers: [...get().servers.filter((s) => s.id !== info.id), info], logs: { ...get().logs, [info.id]: [] }, serverAction: IDLE_ACTION });
          void get().refreshServers();
        } catch (error) {
          set({ serverAction: { status: 'idle', error: toErrorData(error), keyMessage: null } });
        }
      },
      async stopServer(id) {
        set({ serverAction: { status: 'stopping', error: null, keyMessage: null } });
        try {
          await api.server.stop({ id });
          set({ servers: get().servers.filter((s) => s.id !== id), serverAction: IDLE_ACTION });
        } catch (error) {
          set({ serverAction: { status: 'idle', error: toErrorData(error), keyMessage: null } });
        }
      },
      async restartServer(id, mlflowVersion = null) {
        if (get().serverAction.status !== 'idle') return;
        await get().stopServer(id);
        if (get().servers.some((s) => s.id === id)) return;
        await get().startServer(mlflowVersion);
      },
      async copyKey(id) {
        try {
          const r = await api.server.copyKey({ id });
          set({ serverAction: { ...get().serverAction, keyMessage: r.message } });
        } catch (error) {
          set({ serverAction: { ...get().serverAction, keyMessage: toErrorData(error).message } });
        }
      },

      subscribe() {
        const offRequest = api.on('server.request', (e) => {
          const { id, ...line } = e;
          set({ logs: { ...get().logs, [id]: appendLog(get().logs[id], line) } });
        });
        const offStopped = api.on('server.stopped', (e) => {
          const known = get().servers.some((s) => s.id === e.id);
          set({ servers: get().servers.filter((s) => s.id !== e.id), stoppedNotice: known && e.reason !== SERVER_STOPPED_BY_USER ? `The server stopped: ${e.reason}.` : get().stoppedNotice });
        });
        return () => {
          offRequest();
          offStopped();
        };
      },
    };
  });
}
