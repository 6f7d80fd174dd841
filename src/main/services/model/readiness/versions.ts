import { ErrorCodes } from '@shared/errors';
import type { Dependency, EnvFile } from '@shared/mlflow/model-report';
import { releaseOf } from '../../versions/pep440';
import type { ReportWithoutFindings } from './finding';

// One reading of a version in the product: PEP 440 via services/versions/pep440.ts.
export { compareVersions, releaseOf } from '../../versions/pep440';

/** `major.minor` of a version, or null. */
export function minorOf(version: string): string | null {
  const r = releaseOf(version);
  return r && r.length >= 2 ? `${r[0]}.${r[1]}` : r ? `${r[0]}` : null;
}

/** The exact version a specifier pins (`==2.7.1`, `===2.7.1`, `==2.7.*` → null), or null when it does not pin. */
export function exactPin(spec: string): string | null {
  const m = /^\s*===?\s*([0-9][^,;\s*]*)\s*$/.exec(spec);
  return m?.[1] ?? null;
}

/** Whether a conda-channel spec (`python=3.7.7`, `mlflow=2.7.1=pyhd8ed1ab_0`) names one version. */
function condaExactPin(spec: string): string | null {
  // `\s*(?:==?\s*)?`, the same texts as `\s*=?=?\s*`, whose two blank runs could split a long blank run every way.
  const m = /^\s*(?:==?\s*)?([0-9][0-9a-zA-Z.]*)(?:=.*)?$/.exec(spec);
  if (!m?.[1] || spec.includes('*') || /[<>!~,]/.test(spec)) return null;
  return m[1];
}

export const MLFLOW_NAMES = ['mlflow', 'mlflow-skinny'] as const;

export interface MlflowRequirement {
  dep: Dependency;
  /** The exact version installed on Azure, when the requirement pins one. */
  pinned: string | null;
}

/**
 * The environment file Azure builds the deployment from. No-code deployment creates the conda env from the
 * model's `conda.yaml` (Ref.startScript; docs "reads the Conda dependencies"), so that file wins; without it
 * we fall back to whatever the report parsed, so the other rules still say something useful.
 */
export function deploymentDependencies(report: ReportWithoutFindings): { file: string | null; deps: Dependency[] } {
  const files = presentEnvironmentFiles(report);
  const conda = files.find((f) => f.kind === 'conda' && f.file === 'conda.yaml') ?? files.find((f) => f.kind === 'conda');
  if (conda) return { file: conda.file, deps: report.environment.dependencies.filter((d) => d.file === conda.file) };
  return { file: null, deps: report.environment.dependencies };
}

/**
 * The environment files that are in the folder. MLmodel can name one that is not (`python_function.env.conda:
 * conda.yaml` with the file left behind when the model was copied): it is listed, with an E_NOT_FOUND problem, and
 * no rule may read it as an empty file ("conda.yaml lists no mlflow").
 */
export function presentEnvironmentFiles(report: ReportWithoutFindings): EnvFile[] {
  const missing = new Set(report.problems.filter((p) => p.code === ErrorCodes.NOT_FOUND).map((p) => p.file));
  return report.environment.files.filter((f) => !missing.has(f.file));
}

/** The mlflow (or mlflow-skinny) requirement Azure will install, preferring a pinned one. */
export function mlflowRequirement(deps: Dependency[]): MlflowRequirement | null {
  const found = deps
    .filter((d) => (MLFLOW_NAMES as readonly string[]).includes(d.name))
    .map((dep) => ({ dep, pinned: dep.installer === 'conda' ? condaExactPin(dep.spec) : exactPin(dep.spec) }));
  return found.find((f) => f.pinned !== null) ?? found[0] ?? null;
}

/**
 * The MLflow version the deployment will actually run: the exact pin when there is one, otherwise the
 * version that logged the model (the best guess of what the user tested with), otherwise null.
 */
export function effectiveMlflowVersion(report: ReportWithoutFindings): { version: string; source: string } | null {
  const req = mlflowRequirement(deploymentDependencies(report).deps);
  if (req?.pinned) return { version: req.pinned, source: `${req.dep.file}: ${req.dep.raw.trim()}` };
  const logged = report.mlmodel?.mlflowVersion;
  if (logged) return { version: logged, source: `${report.mlmodel?.file ?? 'MLmodel'}: mlflow_version ${logged}` };
  return null;
}

/** Python version for a conda `python` dependency spec or an EnvFile.python value (`3.7.7`, `=3.8`, `3.10.*`). */
export function pythonVersionOf(spec: string): string | null {
  // `(?<!\d)`: a match can only start where a digit run does (the same first match); without it every digit of a
  // long run re-scanned the run (quadratic on a hostile python_env.yaml / conda.yaml value).
  const m = /(?<!\d)(\d+\.\d+(?:\.\d+)?)/.exec(spec);
  return m?.[1] ?? null;
}
