import { join } from 'node:path';
import { createDispatcher, type Dispatch, type Handlers } from '../ipc/dispatch';
import { appHandlers } from '../ipc/handlers/app';
import { modelHandlers } from '../ipc/handlers/model';
import type { ModelReader } from '../ports/model-reader';
import { payloadHandlers } from '../ipc/handlers/payload';
import { runnerHandlers } from '../ipc/handlers/runner';
import { batchHandlers } from '../ipc/handlers/batch';
import { configureCsvLimitsFromEnv } from '@shared/mlflow/payload/limits';
import { packageHandlers } from '../ipc/handlers/package';
import { PackageService } from '../services/packaging/package-service';
import { PackageInAzure } from '../services/packaging/azure-step';
import { BatchService } from '../services/batch/batch-service';
import { PythonEngine } from '../services/runner/python/python-engine';
import { serverHandlers } from '../ipc/handlers/server';
import { terminalOnlyClipboard, type ClipboardPort } from '../ports/clipboard';
import { createRunner } from '../services/runner/create-runner';
import { PythonInterpreterSetting } from '../services/runner/python/python-interpreter-setting';
import { settingsHandlers } from '../ipc/handlers/settings';
import { themeHandlers } from '../ipc/handlers/theme';
import { collectionHandlers } from '../ipc/handlers/collections';
import { RequestCollections } from '../services/compare/collections';
import { trustHandlers } from '../ipc/handlers/trust';
import { FolderTrust, folderOf } from '../services/trust/folder-trust';
import { azureHandlers } from '../ipc/handlers/azure';
import type { RunnerService } from '../services/runner/runner-service';
import { ServerManager } from '../services/server/server-manager';
import type { DialogPort } from '../ports/dialogs';
import type { Logger } from '../ports/logger';
import { ModelService } from '../services/model/model-service';
import { PayloadService } from '../services/payload/payload-service';
import { AppStore } from '../services/store/app-store';
import { AppEvents } from './events';
import { compareHandlers } from '../ipc/handlers/compare';
import { CompareService } from '../services/compare/compare-service';
import { CompareHistory } from '../services/compare/compare-history';
import { ReplayService } from '../services/compare/replay-service';
import { AzureService, type AzureTuning } from '../services/azure/azure-service';
import { PUBLIC_CLOUD, type AzureCloud } from '../services/azure/cloud';
import { azureScoringPort } from '../services/azure/azure-scoring-port';
import { MemorySecretStore, type SecretStore } from '../ports/secret-store';
import type { NodeWorkerLauncher } from '../ports/worker-process';

/** Everything a host supplies; nothing here may depend on which host it is beyond these values. */
export interface HostPorts {
  dialogs: DialogPort;
  log: Logger;
  /** Where settings and the recent list live (Electron's userData, or PREFLIGHT_USER_DATA). */
  userDataDir: string;
  host: 'electron' | 'browser' | 'cli';
  /** The folder holding runtime assets; the sample model is `<resourcesDir>/sample-model`. */
  resourcesDir: string;
  initialModelPath: string | null;
  version: string;
  /** Parse every handler's output against the contract (tests, dev; PREFLIGHT_STRICT_IPC=1). */
  strictOutputs: boolean;
  /** Runner/server: the desktop clipboard (Electron); default none (the key is announced instead). */
  clipboard?: ClipboardPort;
  /** Runner/server: prints a secret once to the host's terminal where there is no clipboard (browser mode). */
  announceSecret?: (line: string) => void;
  /** Model folders trusted for this session without asking (browser mode's `--trust`, tests); never saved. */
  trustedFolders?: string[];
  /** Runner/server: the ONNX worker bundle when not beside the code (tests running TypeScript sources). */
  onnxWorkerPath?: string;
  /** How Node workers (ONNX worker and serving process, file reader) start: default `child_process.fork`; Electron passes utilityProcess. */
  launchNodeWorker?: NodeWorkerLauncher;
  /** Batch: the file-reader bundle (`file-worker.js`) when not beside the code. */
  fileWorkerPath?: string;
  /** Server: the request preparation bundle (`prepare-worker.js`, large bodies for Python models) when not beside the code. */
  prepareWorkerPath?: string;
  /** Azure: which cloud (default public Azure; `--cloud` / PREFLIGHT_AZURE_CLOUD name another). */
  azureCloud?: AzureCloud;
  /** Azure: where sign-in secrets live (default memory; Electron safeStorage in the app; a 0600 file when asked). */
  secretStore?: SecretStore;
  /** Azure: retry/poll timings (tests shorten them). */
  azureTuning?: AzureTuning;
  /** Azure: opens the system browser for sign-in (Electron: shell.openExternal); headless hosts leave it out. */
  openBrowser?: (url: string) => Promise<void>;
}

export interface Services {
  model: ModelReader;
  store: AppStore;
  payload: PayloadService;
  runner: RunnerService;
  servers: ServerManager;
  azure: AzureService;
}

export interface Composition {
  handlers: Handlers;
  dispatch: Dispatch;
  services: Services;
  /** Push events; each transport subscribes and forwards them to its clients. */
  events: AppEvents;
  sampleModelPath: string;
  /** Stops the local servers and the engines' worker processes; hosts call it on shutdown. */
  dispose(): Promise<void>;
}

/**
 * The composition root: builds the services from the host's ports and returns the handler map and the
 * transport-agnostic dispatcher that every host (Electron IPC, WebSocket, CLI) calls. Async because the
 * store loads its file before the first call.
 */
export async function compose(ports: HostPorts, overrides: Partial<Pick<Services, 'model'>> = {}): Promise<Composition> {
  configureCsvLimitsFromEnv(process.env);
  const events = new AppEvents(ports.log);
  const store = await AppStore.open(ports.userDataDir, ports.log);
  const model: ModelReader = overrides.model ?? new ModelService(ports.log);
  const sampleModelPath = join(ports.resourcesDir, 'sample-model');
  // The "Python interpreter" setting, read by the runner and batch on each model load (so a change applies next load).
  const pythonSetting = new PythonInterpreterSetting({ store, logger: ports.log });
  // Running a Python model runs its code: only from folders the user trusted (asked once in the app).
  const trust = new FolderTrust(store, await Promise.all((ports.trustedFolders ?? []).map(folderOf)));
  const trustGate = trust.gate('Preflight asks before the first run; a trusted folder is remembered.');
  const runner = createRunner({ resourcesDir: ports.resourcesDir, logger: ports.log, onnxWorkerPath: ports.onnxWorkerPath, prepareWorkerPath: ports.prepareWorkerPath, launchNodeWorker: ports.launchNodeWorker, pythonSetting: () => pythonSetting.current(), trust: trustGate });
  // Large bodies are validated and converted on a request preparation thread of their own (the main process stays free).
  const payload = new PayloadService(model, { offThread: runner.createPreparer() });
  // Batch jobs get their own engine processes on purpose: a run serializes on its worker, so a long job sharing
  // the runner's workers would hold up every Send in the Run tab. They share the model inspector.
  const batch = new BatchService({ models: model, logger: ports.log, onnxWorkerPath: ports.onnxWorkerPath, launchNodeWorker: ports.launchNodeWorker, fileWorkerPath: ports.fileWorkerPath, pythonWorkerScript: PythonEngine.workerScriptIn(ports.resourcesDir), pythonSetting: () => pythonSetting.current(), trust: trustGate });
  const packaging = new PackageService({ models: model, toolVersion: ports.version });
  const azure = new AzureService({ cloud: ports.azureCloud ?? PUBLIC_CLOUD, secrets: ports.secretStore ?? new MemorySecretStore(), store, log: ports.log, models: model, tuning: ports.azureTuning });
  // `azure:<endpoint>` targets: the endpoint's key or Entra token stays inside AzureService.
  const compareService = new CompareService({ payload, runner, azure: azureScoringPort(azure) });
  const servers = new ServerManager({ runner, events, clipboard: ports.clipboard ?? terminalOnlyClipboard, announceSecret: ports.announceSecret, logger: ports.log });

  const handlers: Handlers = {
    app: appHandlers({
      version: ports.version,
      host: ports.host,
      sampleModelPath,
      initialModelPath: ports.initialModelPath,
      canPickFolder: ports.dialogs.available,
    }),
    model: modelHandlers({ model, store, dialogs: ports.dialogs, events }),
    payload: payloadHandlers({ payload }),
    runner: runnerHandlers({ runner }),
    server: serverHandlers({ servers }),
    batch: batchHandlers({ batch, events }),
    package: packageHandlers({ packaging, events, inAzure: new PackageInAzure({ packaging, azure }), azure, dialogs: ports.dialogs }),
    settings: settingsHandlers({ python: pythonSetting }),
    theme: themeHandlers({ store }),
    collections: collectionHandlers({ collections: new RequestCollections() }),
    trust: trustHandlers({ trust }),
    compare: compareHandlers({ compare: compareService, history: new CompareHistory(ports.userDataDir, ports.log), replay: new ReplayService({ compare: compareService, payload }), events }),
    azure: azureHandlers({ azure, events, clipboard: ports.clipboard ?? terminalOnlyClipboard, announceSecret: ports.announceSecret, openBrowser: ports.openBrowser }),
  };
  const dispatch = createDispatcher(handlers, { strictOutputs: ports.strictOutputs, log: ports.log });
  // Servers first (they use the runner); every step runs even if one before it fails, so a server that
  // cannot close never leaves Python or ONNX workers behind.
  const dispose = async (): Promise<void> => {
    for (const [what, step] of [['servers', () => servers.closeAll()], ['runner', () => runner.close()], ['payload', () => payload.close()], ['batch', () => batch.dispose()]] as const) {
      try {
        await step();
      } catch (err) {
        ports.log.error(`shutdown: stopping the ${what} failed`, err);
      }
    }
  };
  return { handlers, dispatch, services: { model, store, payload, runner, servers, azure }, events, sampleModelPath, dispose };
}
