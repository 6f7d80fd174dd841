/**
 * What a model asks of a Python interpreter, read from the inspection report: its flavors (which
 * decide how the worker can load it), MLmodel's python_version and the packages its environment files
 * pin. Pure: no I/O.
 */
import type { Dependency, ModelReport } from '@shared/mlflow/model-report';

export interface ModelNeeds {
  /** Flavor name → its MLmodel settings, e.g. `sklearn` → `{pickled_model, serialization_format, …}`. */
  flavors: Record<string, Record<string, unknown>>;
  loaderModule: string | null;
  /** `python_function.python_version` of MLmodel. */
  pythonVersion: string | null;
  /** Pinned pip/conda packages from the environment files (build tools and python excluded). */
  pins: Dependency[];
}

/** Build tools and the interpreter itself: not packages a model imports. */
const NOT_A_PACKAGE = new Set(['python', 'pip', 'setuptools', 'wheel']);

export function modelNeedsFromReport(report: Pick<ModelReport, 'mlmodel' | 'environment'>): ModelNeeds {
  const flavors: Record<string, Record<string, unknown>> = {};
  for (const f of report.mlmodel?.flavors ?? []) flavors[f.name] = f.settings;
  const pins = report.environment.dependencies.filter(
    (d) => (d.source === 'index' || d.source === 'private-index') && !NOT_A_PACKAGE.has(d.name),
  );
  return {
    flavors,
    loaderModule: report.mlmodel?.loaderModule ?? null,
    pythonVersion: report.mlmodel?.pythonVersion ?? null,
    pins,
  };
}

/**
 * The Python package that provides each MLflow flavor's library (PEP 503 names), so a missing one is
 * reported before the model fails to load.
 */
const FLAVOR_PACKAGES: Record<string, string> = {
  sklearn: 'scikit-learn',
  xgboost: 'xgboost',
  lightgbm: 'lightgbm',
  catboost: 'catboost',
  pytorch: 'torch',
  tensorflow: 'tensorflow',
  keras: 'keras',
  statsmodels: 'statsmodels',
  prophet: 'prophet',
  spacy: 'spacy',
  transformers: 'transformers',
  sentence_transformers: 'sentence-transformers',
  onnx: 'onnxruntime',
  h2o: 'h2o',
  paddle: 'paddlepaddle',
};

/** MLflow's loader module for each flavor name (`python_function.loader_module`). */
const LOADER_FLAVOR = /^mlflow\.([a-z_]+)$/;

export interface LoadPlan {
  /** `mlflow`: needs mlflow.pyfunc.load_model; `pickle-direct`: the worker can read the sklearn pickle itself. */
  withoutMlflow: boolean;
  /** Packages (PEP 503 names) the worker needs whichever way it loads, besides mlflow. */
  required: string[];
  /** The flavor that drives loading, for messages. */
  flavor: string | null;
}

/**
 * What loading needs: every model needs numpy and pandas (the worker rebuilds inputs with them) plus its
 * flavor's library; sklearn-flavor pickles can be read without mlflow (loader `mlflow.sklearn`, format
 * pickle/cloudpickle, cloudpickle needed for the latter), everything else needs mlflow.
 */
export function loadPlan(needs: ModelNeeds): LoadPlan {
  const fromLoader = needs.loaderModule ? LOADER_FLAVOR.exec(needs.loaderModule)?.[1] ?? null : null;
  const flavor = fromLoader && fromLoader !== 'pyfunc' ? fromLoader : Object.keys(needs.flavors).find((f) => f !== 'python_function') ?? null;
  const required = ['numpy', 'pandas'];
  const pkg = flavor ? FLAVOR_PACKAGES[flavor] : undefined;
  if (pkg) required.push(pkg);
  const sk = needs.flavors.sklearn;
  const format = typeof sk?.serialization_format === 'string' ? sk.serialization_format : 'cloudpickle';
  const withoutMlflow =
    sk !== undefined && (needs.loaderModule === null || needs.loaderModule === 'mlflow.sklearn') && (format === 'cloudpickle' || format === 'pickle');
  if (sk !== undefined && format === 'cloudpickle') required.push('cloudpickle');
  return { withoutMlflow, required, flavor };
}
