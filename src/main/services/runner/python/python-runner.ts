/**
 * Plugs the Python engine (`python/`) into RunnerService: finds an interpreter for each model
 * (`discoverPython`: the setting, PREFLIGHT_PYTHON, the active venv/conda env, python3 on PATH), runs the
 * model in that interpreter's worker and hands back the body texts Python wrote for each server plus
 * which loader ran (mlflow.pyfunc.load_model, or the sklearn pickle read directly when mlflow is absent).
 */
import type { z } from 'zod';
import { AppError, ErrorCodes, isAppError } from '@shared/errors';
import type { CallOutput, LoaderInfoSchema } from '@shared/ipc/contract';
import type { ModelReport } from '@shared/mlflow/model-report';
import type { ModelIn } from '@shared/mlflow/payload/model-input';
import type { PyDict } from '@shared/mlflow/payload/py-json';
import { silentLogger, type Logger } from '../../../ports/logger';
import { RunnerErrorCodes } from '../onnx/runner-errors';
import { DiscoveryCache } from './discovery-cache';
import { discoverPython, type PythonDiscovery } from './interpreter-discovery';
import { withPinHint } from './load-failure-hint';
import { loadPlan, modelNeedsFromReport } from './model-needs';
import { PythonEngine, type BodyServer, type PythonModelRef, type PythonPrediction, type ServerBody } from './python-engine';
import { satisfies } from './version-spec';
import type { EncodedInput } from './wire-input';

/** Which loader ran the model, for the UI and `predict --json` readers (`runner.predict`'s `loader`). */
export type LoaderInfo = z.output<typeof LoaderInfoSchema>;

/** What one Python run returns to RunnerService. */
export interface PythonRunResult {
  /** Each present when its server was asked for (all when no `server` was named). */
  mlflow?: ServerBody;
  azureml?: ServerBody;
  loader: LoaderInfo;
}

/** One pinned package against the chosen interpreter. */
export type PackageCheck = PythonEnvironment['packages'][number];

/** `runner.environment` for a Python model: the interpreters found, the chosen one, the pins against it. */
export type PythonEnvironment = NonNullable<CallOutput<'runner', 'environment'>['python']>;

export interface PythonRunnerOptions {
  /** `<resourcesDir>/python/preflight_worker.py`. */
  workerScript: string;
  logger?: Logger;
  /** The app's "Python interpreter" setting, read on every discovery. */
  setting?: () => string | null;
  /** Defaults to process.env (PREFLIGHT_PYTHON, VIRTUAL_ENV, CONDA_PREFIX, PATH). */
  env?: Record<string, string | undefined>;
  /** Model-folder trust, asked before a model loads (see PythonEngineOptions.trust). */
  trust?: (modelDir: string) => Promise<void>;
  /** A ready engine (tests); default: one over `workerScript`. */
  engine?: PythonEngine;
}

export class PythonRunner {
  private readonly engine: PythonEngine;
  private readonly logger: Logger;
  /** Discovery per model, reused until something fails or the interpreter setting changes. */
  private readonly discoveries = new DiscoveryCache();
  /** Model folder → interpreter its worker runs, so a switch of interpreter stops the old worker. */
  private readonly workerPython = new Map<string, string>();

  constructor(private readonly options: PythonRunnerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.engine = options.engine ?? new PythonEngine({ workerScript: options.workerScript, logger: this.logger, trust: options.trust });
  }

  async predict(model: { modelPath: string; report: ModelReport }, input: ModelIn | EncodedInput, params: PyDict | null, options: { signal?: AbortSignal; server?: BodyServer; ignorePredictFn?: boolean }): Promise<PythonRunResult> {
    const { report } = model;
    const discovery = await this.discover(report, false);
    const interp = discovery.chosen;
    if (!interp) throw this.forget(report, noInterpreterError(report, discovery));
    await this.retireOldWorker(model.modelPath, interp.path);
    try {
      const servers: BodyServer[] = options.server ? [options.server] : ['mlflow', 'azureml'];
      // Typed as what it is: the bodies of `servers` only, not both.
      const ref = workerRef(model, interp.path, options.ignorePredictFn === true);
      const p: Partial<PythonPrediction> & PythonPrediction<never> = await this.engine.predict(ref, input, { signal: options.signal, params, servers });
      return {
        ...(p.mlflow ? { mlflow: p.mlflow } : {}),
        ...(p.azureml ? { azureml: p.azureml } : {}),
        loader: { name: p.load.loader, notes: p.load.notes, interpreter: interp.path },
      };
    } catch (err) {
      if (isAppError(err) && err.code === RunnerErrorCodes.MODEL_LOAD) throw this.forget(report, withPinHint(err, report, interp.path));
      if (isAppError(err) && err.code === ErrorCodes.ENVIRONMENT) throw this.forget(report, err);
      throw err;
    }
  }

  /**
   * Starts the model's worker and loads the model in it, as the real servers do before their first request (a server
   * that loaded lazily made its first caller wait 2–8 s for Python, pandas and the model). The same worker `predict`
   * then uses; a failure is left for `predict` to report (it loads again, and says why in the server's words).
   */
  async preload(model: { modelPath: string; report: ModelReport }, options: { ignorePredictFn?: boolean } = {}): Promise<void> {
    const discovery = await this.discover(model.report, false);
    const interp = discovery.chosen;
    if (!interp) return;
    await this.retireOldWorker(model.modelPath, interp.path);
    await this.engine.load(workerRef(model, interp.path, options.ignorePredictFn === true));
  }

  /** A fresh look at the interpreters for this model (the user may have installed packages since). */
  async environment(report: ModelReport): Promise<PythonEnvironment> {
    const d = await this.discover(report, true);
    const chosen = d.chosen;
    const needs = modelNeedsFromReport(report);
    const seen = new Set<string>();
    const packages: PackageCheck[] = [];
    for (const pin of needs.pins) {
      const key = `${pin.name} ${pin.spec}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const installed = chosen ? (chosen.has[pin.name] ?? null) : null;
      const spec = pin.installer === 'conda' && /^\d/.test(pin.spec) ? `=${pin.spec}` : pin.spec;
      packages.push({ name: pin.name, pinned: spec, file: pin.file, installed, matches: installed === null || spec.trim() === '' ? null : satisfies(installed, spec) });
    }
    return {
      chosen: chosen ? { path: chosen.path, executable: chosen.executable, source: chosen.source, version: chosen.version, mlflowVersion: chosen.has.mlflow ?? null } : null,
      loader: d.loader,
      candidates: d.candidates.map((c) => ({ path: c.path, source: c.source, version: c.interpreter?.version ?? null, error: c.error, canLoad: c.canLoad, missing: c.missing })),
      packages,
      findings: d.findings,
    };
  }

  async dispose(): Promise<void> {
    this.discoveries.clear();
    this.workerPython.clear();
    await this.engine.dispose();
  }

  private discover(report: ModelReport, fresh: boolean): Promise<PythonDiscovery> {
    const setting = this.options.setting?.() ?? null;
    const discover = (): Promise<PythonDiscovery> => discoverPython({ setting, env: this.options.env, needs: modelNeedsFromReport(report) });
    return fresh ? this.discoveries.fresh(report.path, setting, discover) : this.discoveries.get(report.path, setting, discover);
  }

  /**
   * The engine keys workers by (interpreter, model), so a new interpreter gets its own worker anyway; this
   * stops the one left behind so the old interpreter's process does not linger for the app's lifetime.
   */
  private async retireOldWorker(modelPath: string, python: string): Promise<void> {
    const previous = this.workerPython.get(modelPath);
    this.workerPython.set(modelPath, python);
    if (previous === undefined || previous === python) return;
    this.logger.info(`python: ${modelPath} now runs in ${python}; stopping its worker in ${previous}`);
    await this.engine.release({ modelDir: modelPath, python: previous }).catch((err: unknown) => this.logger.warn('python: stopping the previous worker failed', err));
  }

  /** After a failure the next call looks again: the user may be fixing the environment right now. */
  private forget(report: ModelReport, err: AppError): AppError {
    this.discoveries.forget(report.path);
    return err;
  }
}

function noInterpreterError(report: ModelReport, d: PythonDiscovery): AppError {
  const plan = loadPlan(modelNeedsFromReport(report));
  const f = d.findings.find((x) => x.code === 'python-not-found');
  const needs = plan.withoutMlflow ? `${plan.required.join(', ')} (mlflow optional: without it the sklearn pickle is read directly)` : `mlflow, ${plan.required.join(', ')}`;
  return new AppError(
    ErrorCodes.ENVIRONMENT,
    `${report.name} needs a local Python with ${needs}, and none was found. ${f ? `${f.evidence} ${f.fix}` : 'Install Python 3 with those packages, then set PREFLIGHT_PYTHON to its path (or activate its virtualenv/conda env before starting Preflight).'}`,
    { details: { needs: plan.required, mlflowRequired: !plan.withoutMlflow, candidates: d.candidates.map((c) => ({ path: c.path, source: c.source, error: c.error, missing: c.missing })) } },
  );
}

/**
 * The worker a model runs in: its folder, the interpreter and the flavors the worker loads it with. MLflow < 1.29
 * ignores python_function.predict_fn (mlflow-1x-server.ts `pyfuncPredictFn`): that model gets a worker of its own,
 * without the key.
 */
function workerRef(model: { modelPath: string; report: ModelReport }, python: string, ignorePredictFn: boolean): PythonModelRef {
  const needs = modelNeedsFromReport(model.report);
  const pf = needs.flavors.python_function;
  const ignore = ignorePredictFn && pf !== undefined && pf.predict_fn !== undefined;
  const flavors = ignore ? { ...needs.flavors, python_function: Object.fromEntries(Object.entries(pf).filter(([k]) => k !== 'predict_fn')) } : needs.flavors;
  return { modelDir: model.modelPath, python, flavors, ...(ignore ? { ignorePredictFn: true } : {}) };
}
