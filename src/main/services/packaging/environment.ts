/**
 * The environment as Azure's no-code MLflow build assembles it: the model's `conda.yaml` (its pip list and
 * its conda packages; `conda env create -f <model>/conda.yaml`, Ref.startScript) plus what the MLflow
 * inference image adds, `azureml-inference-server-http` (the `azmlinfsrv` server that answers /score,
 * payloads.md §4). Without conda.yaml the other environment files are read, as the readiness report does.
 */
import type { ModelReport } from '@shared/mlflow/model-report';
import { deploymentDependencies, pythonVersionOf } from '../model/readiness/versions';
import { normalizeName } from './requirement';
import type { RootRequirement } from './resolver';

/** Packages the Azure ML MLflow inference image installs next to the model's own environment. */
export const INFERENCE_IMAGE_PACKAGES: readonly RootRequirement[] = [
  { raw: 'azureml-inference-server-http', source: 'Azure ML MLflow inference image (azmlinfsrv)' },
];

/** conda packages that are the interpreter or the installer, not libraries a wheelhouse provides. */
const CONDA_TOOLING = new Set(['python', 'pip', 'setuptools', 'wheel']);

export interface AssembledEnvironment {
  roots: RootRequirement[];
  /** The Python the model was logged with (conda.yaml, else MLmodel), if it says. */
  modelPython: string | null;
  notes: string[];
}

/** conda match spec `=1.2` / `1.2.*` / `=1.2=build` → PEP 440 `==1.2.*`; `>=1.2` passes through. */
function condaSpecToPep440(spec: string): string {
  const s = spec.trim();
  const eq = /^=?([0-9][0-9a-zA-Z.]*?)(\.\*|\*)?(?:=.*)?$/.exec(s);
  if (eq && !s.startsWith('==')) return `==${eq[1]}.*`;
  // A match runs to the end without a `,`, so it starts after the last one: the pattern is tried on that tail only
  // (on the whole spec, a long letter run after `=` and before a `,` was re-scanned from each of its letters: quadratic
  // on a hostile conda.yaml spec).
  const tail = s.lastIndexOf(',') + 1;
  return s.slice(0, tail) + s.slice(tail).replace(/=[^=,<>!~]*[a-zA-Z_][^,]*$/, '');
}

export function assembleEnvironment(report: ModelReport): AssembledEnvironment {
  const { file, deps } = deploymentDependencies(report);
  const notes: string[] = [];
  const roots: RootRequirement[] = [];
  for (const d of deps) {
    const where = `${d.file}${d.line ? `:${d.line}` : ''}`;
    if (d.source === 'option') {
      notes.push(`${where}: pip option \`${d.raw.trim()}\` is ignored: the package installs only from its wheels/ folder.`);
      continue;
    }
    if (d.installer === 'conda') {
      if (CONDA_TOOLING.has(d.name)) continue;
      roots.push({ raw: `${d.name}${condaSpecToPep440(d.spec)}`, source: `${where} (conda)` });
      continue;
    }
    roots.push({ raw: d.raw.trim(), source: where });
  }
  const names = new Set(roots.map((r) => normalizeName(r.raw.split(/[\s[<>=!~;@(]/)[0] ?? '')));
  for (const extra of INFERENCE_IMAGE_PACKAGES) if (!names.has(normalizeName(extra.raw))) roots.push(extra);
  if (file === null) notes.push('The model has no conda.yaml; Azure would not start it (no-conda-yaml). The package uses the other environment files.');
  const conda = report.environment.files.find((f) => f.file === file);
  const modelPython = (conda?.python ? pythonVersionOf(conda.python) : null) ?? (report.mlmodel?.pythonVersion ? pythonVersionOf(report.mlmodel.pythonVersion) : null);
  return { roots, modelPython, notes };
}
