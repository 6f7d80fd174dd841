/**
 * The one way hosts build a RunnerService with both engines: ONNX (onnxruntime-node in a child process)
 * and Python (the worker shipped in `<resourcesDir>/python/`). The app (compose), `preflight predict` and
 * `preflight serve` all go through here, so an sklearn model runs the same everywhere.
 */
import type { Logger } from '../../ports/logger';
import { PythonEngine } from './python/python-engine';
import { PythonRunner } from './python/python-runner';
import { RunnerService } from './runner-service';
import type { NodeWorkerLauncher } from '../../ports/worker-process';

export interface CreateRunnerOptions {
  /** Folder with runtime assets (`python/preflight_worker.py`). */
  resourcesDir: string;
  logger: Logger;
  /** ONNX worker bundle; default: the one built beside the code (`onnx-worker.js`). */
  onnxWorkerPath?: string;
  /** Request preparation bundle (large bodies of Python models' servers); default: beside the code (`prepare-worker.js`). */
  prepareWorkerPath?: string;
  /** How the host starts Node workers (default `child_process.fork`; the Electron host: utilityProcess). */
  launchNodeWorker?: NodeWorkerLauncher;
  /** The "Python interpreter" setting, read on each discovery; PREFLIGHT_PYTHON and PATH come after it. */
  pythonSetting?: () => string | null;
  /** Environment for interpreter discovery; default process.env. */
  env?: Record<string, string | undefined>;
  /** Model-folder trust for Python models (FolderTrust.gate); none: no gate. */
  trust?: (modelDir: string) => Promise<void>;
}

export function createRunner(options: CreateRunnerOptions): RunnerService {
  const python = new PythonRunner({
    workerScript: PythonEngine.workerScriptIn(options.resourcesDir),
    logger: options.logger,
    setting: options.pythonSetting,
    env: options.env,
    trust: options.trust,
  });
  return new RunnerService({ logger: options.logger, onnxWorkerPath: options.onnxWorkerPath, prepareWorkerPath: options.prepareWorkerPath, launchNodeWorker: options.launchNodeWorker, python, trust: options.trust });
}
