/**
 * What to do when a model fails to load because a module is missing: the model's own pin for it, and where to
 * install it. Shared by every path that loads a Python model (predict/serve through PythonRunner, batch through
 * its model scorer) so the same failure reads the same in `predict`, `batch` and the app's tabs.
 */
import { AppError } from '@shared/errors';
import type { ModelReport } from '@shared/mlflow/model-report';

/** A load failure on a missing module names the model's own pin for it, and where to install it; other errors pass through. */
export function withPinHint(err: AppError, report: ModelReport, python: string): AppError {
  const py = (err.details as { python?: { type?: string; message?: string } } | undefined)?.python;
  const m = py?.type?.endsWith('ModuleNotFoundError') ? /No module named '([^'.]+)/.exec(py.message ?? '') : null;
  if (!m) return err;
  const module = m[1]!;
  const pkgName = module === 'sklearn' ? 'scikit-learn' : module.replace(/_/g, '-').toLowerCase();
  const pin = report.environment.dependencies.find((d) => d.name === pkgName);
  const hint = pin
    ? ` The model's ${pin.file} pins ${pin.raw.trim()}: install it (\`${python} -m pip install "${pin.name}${pin.spec}"\`) or point PREFLIGHT_PYTHON at an interpreter that has it.`
    : ` Install the package that provides '${module}' into ${python}, or point PREFLIGHT_PYTHON at an interpreter that has it.`;
  const sep = /[.!?]$/.test(err.message) ? '' : '.';
  return new AppError(err.code, `${err.message}${sep}${hint}`, { details: { ...(err.details as object), missingModule: module, pin: pin?.raw ?? null } });
}
