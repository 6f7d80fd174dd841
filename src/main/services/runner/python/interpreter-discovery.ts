/**
 * Finds a local Python interpreter for a model, in the order a user expects: the app setting,
 * `PREFLIGHT_PYTHON`, the active virtualenv (`VIRTUAL_ENV`), the active conda env (`CONDA_PREFIX`),
 * `python3` / `python` on PATH, then `/usr/bin/python3`. Each candidate is probed (short timeout); the
 * first that can load the model's flavor is chosen. A candidate the user named explicitly (setting or
 * PREFLIGHT_PYTHON) is never skipped silently: if it cannot run, discovery fails with a message saying so.
 *
 * Differences between what the interpreter has and what the model pins become findings: Azure builds the
 * environment from the pins, so a local run with other versions may answer differently.
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { Finding } from '@shared/mlflow/model-report';
import { loadPlan, type ModelNeeds } from './model-needs';
import { DEFAULT_PROBE_TIMEOUT_MS, probeInterpreter, type ProbedInterpreter } from './interpreter-probe';
import { satisfies } from './version-spec';

export type CandidateSource = 'setting' | 'PREFLIGHT_PYTHON' | 'VIRTUAL_ENV' | 'CONDA_PREFIX' | 'PATH' | 'system';

export interface Candidate {
  path: string;
  source: CandidateSource;
}

export interface PythonInterpreter extends ProbedInterpreter {
  source: CandidateSource;
}

export interface CandidateReport {
  path: string;
  source: CandidateSource;
  /** Null when the probe failed (see `error`). */
  interpreter: PythonInterpreter | null;
  error: string | null;
  /** Whether the worker can load the model with it (always true when no model was given and it runs Python ≥ 3.8). */
  canLoad: boolean;
  /** `mlflow` when it can read the model itself through mlflow, `pickle-direct` for sklearn pickles without mlflow. */
  loader: 'mlflow' | 'pickle-direct' | null;
  /** Why it cannot load the model: missing packages, too old a Python. */
  missing: string[];
}

export interface PythonDiscovery {
  chosen: PythonInterpreter | null;
  loader: 'mlflow' | 'pickle-direct' | null;
  candidates: CandidateReport[];
  /** About the chosen interpreter versus the model (pins, python version, mlflow), or why none was chosen. */
  findings: Finding[];
}

export interface DiscoverOptions {
  /** The app setting "Python interpreter" (a path, or a command name looked up on PATH). */
  setting?: string | null;
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  /** The model to run; without it any Python ≥ 3.8 with numpy and pandas qualifies. */
  needs?: ModelNeeds | null;
  probeTimeoutMs?: number;
}

/** Packages every probe asks about, besides the model's pins (PEP 503 names). */
export const CORE_PACKAGES = ['mlflow', 'scikit-learn', 'numpy', 'pandas', 'cloudpickle', 'pyyaml'] as const;

/** The oldest Python the worker runs on; the interpreter setting refuses older ones with the same bound. */
export const MIN_PYTHON_VERSION: readonly [number, number] = [3, 8];

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    if (!(await stat(p)).isFile()) return false;
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, env: Record<string, string | undefined>, platform: NodeJS.Platform): Promise<string | null> {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter(Boolean);
  const names = platform === 'win32' && !/\.exe$/i.test(name) ? [`${name}.exe`] : [name];
  for (const d of dirs) for (const n of names) if (await isExecutableFile(join(d, n))) return join(d, n);
  return null;
}

/** Candidates in priority order, duplicates (same real file) removed; explicit ones kept even when missing. */
export async function listCandidates(options: DiscoverOptions = {}): Promise<Candidate[]> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const win = platform === 'win32';
  const out: Candidate[] = [];
  const explicit = async (value: string | null | undefined, source: CandidateSource): Promise<void> => {
    const v = value?.trim();
    if (!v) return;
    // A bare command name ("python3.11") is looked up on PATH; a path is taken as given.
    const isName = !v.includes('/') && !v.includes('\\');
    out.push({ path: isName ? ((await onPath(v, env, platform)) ?? v) : isAbsolute(v) ? v : resolve(v), source });
  };
  await explicit(options.setting, 'setting');
  await explicit(env.PREFLIGHT_PYTHON, 'PREFLIGHT_PYTHON');
  if (env.VIRTUAL_ENV) out.push({ path: win ? join(env.VIRTUAL_ENV, 'Scripts', 'python.exe') : join(env.VIRTUAL_ENV, 'bin', 'python'), source: 'VIRTUAL_ENV' });
  if (env.CONDA_PREFIX) out.push({ path: win ? join(env.CONDA_PREFIX, 'python.exe') : join(env.CONDA_PREFIX, 'bin', 'python'), source: 'CONDA_PREFIX' });
  for (const name of win ? ['python', 'python3'] : ['python3', 'python']) {
    const found = await onPath(name, env, platform);
    if (found) out.push({ path: found, source: 'PATH' });
  }
  if (!win) out.push({ path: '/usr/bin/python3', source: 'system' });

  const seen = new Set<string>();
  const unique: Candidate[] = [];
  for (const c of out) {
    const isExplicit = c.source === 'setting' || c.source === 'PREFLIGHT_PYTHON';
    let key = c.path;
    try {
      key = await realpath(c.path);
    } catch {
      if (!isExplicit) continue; // an env var naming a deleted venv: nothing to probe
    }
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(c);
  }
  return unique;
}

export function versionAtLeast(version: string, min: readonly [number, number]): boolean {
  const [a = 0, b = 0] = version.split('.').map((x) => parseInt(x, 10));
  return a > min[0] || (a === min[0] && b >= min[1]);
}

function assess(interp: ProbedInterpreter, needs: ModelNeeds | null): Pick<CandidateReport, 'canLoad' | 'loader' | 'missing'> {
  const missing: string[] = [];
  if (!versionAtLeast(interp.version, MIN_PYTHON_VERSION)) missing.push(`Python ≥ ${MIN_PYTHON_VERSION.join('.')} (it is ${interp.version})`);
  const plan = needs ? loadPlan(needs) : { withoutMlflow: true, required: ['numpy', 'pandas'], flavor: null };
  for (const pkg of plan.required) if (!interp.has[pkg]) missing.push(pkg);
  const hasMlflow = Boolean(interp.has.mlflow);
  if (!hasMlflow && !plan.withoutMlflow) missing.push(`mlflow (needed to load the ${plan.flavor ?? 'python_function'} flavor)`);
  const canLoad = missing.length === 0;
  return { canLoad, missing, loader: canLoad ? (hasMlflow ? 'mlflow' : 'pickle-direct') : null };
}

const sourceLabel = (c: Candidate): string =>
  c.source === 'setting' ? 'the Python interpreter setting'
  : c.source === 'PREFLIGHT_PYTHON' ? 'PREFLIGHT_PYTHON'
  : c.source === 'VIRTUAL_ENV' ? 'the active virtualenv (VIRTUAL_ENV)'
  : c.source === 'CONDA_PREFIX' ? 'the active conda env (CONDA_PREFIX)'
  : c.source === 'PATH' ? 'PATH'
  : 'the system Python';

/**
 * Probes the candidates (in parallel, each with a short timeout) and picks the first that can load the
 * model. Throws `E_ENVIRONMENT` when an explicitly named interpreter cannot be run; otherwise returns
 * `chosen: null` with a `python-not-found` finding when nothing qualifies.
 */
export async function discoverPython(options: DiscoverOptions = {}): Promise<PythonDiscovery> {
  const needs = options.needs ?? null;
  const candidates = await listCandidates(options);
  const packages = [...new Set<string>([...CORE_PACKAGES, ...(needs?.pins.map((p) => p.name) ?? [])])].slice(0, 300);
  const probes = await Promise.all(candidates.map((c) => probeInterpreter(c.path, packages, options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS)));
  const reports: CandidateReport[] = [];
  const executables = new Set<string>();
  candidates.forEach((c, k) => {
    const p = probes[k]!;
    if (!p.ok) {
      reports.push({ path: c.path, source: c.source, interpreter: null, error: p.reason, canLoad: false, loader: null, missing: [] });
      return;
    }
    // pyenv's `python3` and `python` shims (or a venv's links) lead to one interpreter: list it once.
    // Packages are part of the key: a wrapper script may run the same executable with other flags.
    const key = JSON.stringify([p.interpreter.executable, p.interpreter.version, p.interpreter.has]);
    const explicit = c.source === 'setting' || c.source === 'PREFLIGHT_PYTHON';
    if (!explicit && executables.has(key)) return;
    executables.add(key);
    reports.push({ path: c.path, source: c.source, interpreter: { ...p.interpreter, source: c.source }, error: null, ...assess(p.interpreter, needs) });
  });

  const first = reports[0];
  const explicitFirst = first && (first.source === 'setting' || first.source === 'PREFLIGHT_PYTHON') ? first : null;
  if (explicitFirst && !explicitFirst.interpreter) {
    const how = explicitFirst.source === 'setting' ? 'Change the Python interpreter in Settings' : 'Point PREFLIGHT_PYTHON at a Python 3 interpreter';
    throw new AppError(
      ErrorCodes.ENVIRONMENT,
      `${sourceLabel(explicitFirst)} names ${JSON.stringify(explicitFirst.path)}, which ${explicitFirst.error}. ${how} (e.g. /usr/bin/python3 or a virtualenv's bin/python), or clear it to let Preflight search VIRTUAL_ENV, CONDA_PREFIX and PATH.`,
      { details: { source: explicitFirst.source, path: explicitFirst.path, reason: explicitFirst.error } },
    );
  }

  // The user's explicit choice wins even when it lacks something: they get findings, not a silent switch.
  const chosenReport = explicitFirst ?? reports.find((r) => r.canLoad) ?? null;
  if (!chosenReport || !chosenReport.interpreter) {
    return { chosen: null, loader: null, candidates: reports, findings: [notFoundFinding(reports, needs)] };
  }
  const chosen = chosenReport.interpreter;
  return { chosen, loader: chosenReport.loader, candidates: reports, findings: interpreterFindings(chosenReport, needs) };
}

/** Throws the `python-not-found` finding as an AppError when discovery chose nothing. */
export function requireInterpreter(d: PythonDiscovery): PythonInterpreter {
  if (d.chosen) return d.chosen;
  const f = d.findings.find((x) => x.code === 'python-not-found');
  throw new AppError(ErrorCodes.ENVIRONMENT, f ? `${f.title}. ${f.evidence} ${f.fix}` : 'No usable Python interpreter was found.', {
    details: { candidates: d.candidates.map((c) => ({ path: c.path, source: c.source, error: c.error, missing: c.missing })) },
  });
}

function describeCandidate(r: CandidateReport): string {
  if (!r.interpreter) return `${r.path} (${r.source}) ${r.error}`;
  return `${r.path} (${r.source}, Python ${r.interpreter.version}) lacks ${r.missing.join(', ')}`;
}

function notFoundFinding(reports: CandidateReport[], needs: ModelNeeds | null): Finding {
  const plan = needs ? loadPlan(needs) : null;
  const what = plan?.withoutMlflow
    ? `a Python ≥ 3.8 with ${plan.required.join(', ')} (mlflow optional)`
    : `a Python ≥ 3.8 with mlflow and ${(plan?.required ?? ['numpy', 'pandas']).join(', ')}`;
  return {
    code: 'python-not-found',
    severity: 'error',
    title: 'No local Python can run this model',
    evidence: reports.length ? `Tried: ${reports.map(describeCandidate).join('; ')}.` : 'No python3 or python on PATH, and no VIRTUAL_ENV or CONDA_PREFIX.',
    fix: `Install ${what} — ideally the versions the model pins, e.g. \`pip install -r requirements.txt\` from the model folder in a virtualenv — then choose it in Settings or set PREFLIGHT_PYTHON.`,
    file: null,
    reference: null,
  };
}

/** Findings about the chosen interpreter against the model's pins, python_version and loader. */
export function interpreterFindings(r: CandidateReport, needs: ModelNeeds | null): Finding[] {
  const interp = r.interpreter;
  if (!interp) return [];
  const findings: Finding[] = [];
  const who = `${interp.path} (Python ${interp.version})`;
  const plan = needs ? loadPlan(needs) : null;

  if (!r.canLoad) {
    findings.push({
      code: 'python-cannot-load-model',
      severity: 'error',
      title: 'The chosen Python cannot load this model',
      evidence: `${who}, chosen by ${sourceLabel(r)}, lacks ${r.missing.join(', ')}.`,
      fix: `Install the missing packages into that interpreter (ideally \`pip install -r requirements.txt\` from the model folder), or choose another interpreter.`,
      file: null,
      reference: null,
    });
  }

  if (needs?.pythonVersion) {
    const [wa, wb] = needs.pythonVersion.split('.');
    const [ha, hb] = interp.version.split('.');
    if (wa !== ha || wb !== hb) {
      findings.push({
        code: 'python-version-mismatch',
        severity: 'warning',
        title: 'Python version differs from the one the model was saved with',
        evidence: `MLmodel says python_version ${needs.pythonVersion}; ${who}.`,
        fix: `Pickled models can fail to load or behave differently across Python minor versions. Use a Python ${wa}.${wb} interpreter to reproduce what Azure builds from the model's environment.`,
        file: 'MLmodel',
        reference: null,
      });
    }
  }

  if (r.loader === 'pickle-direct' && needs) {
    findings.push({
      code: 'python-without-mlflow',
      severity: 'info',
      title: 'mlflow is not installed: the sklearn pickle is loaded directly',
      evidence: `${who} has no mlflow. Preflight's worker reads the ${plan?.flavor ?? 'sklearn'} flavor's pickle itself and calls its predict function as mlflow.sklearn does.`,
      fix: 'Preflight enforces the signature before each call, as the servers do. Install mlflow (the version the model pins) into the interpreter to run the model exactly through mlflow.pyfunc.load_model.',
      file: null,
      reference: 'payloads.md §2.2',
    });
  }

  // One finding per distinct (package, spec): the same pin in conda.yaml and requirements.txt is one fact.
  const seen = new Set<string>();
  for (const pin of needs?.pins ?? []) {
    const spec = pin.installer === 'conda' && /^\d/.test(pin.spec) ? `=${pin.spec}` : pin.spec;
    const key = `${pin.name} ${spec.replace(/\s+/g, '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const installed = interp.has[pin.name];
    const neededToLoad = plan?.required.includes(pin.name) || (pin.name === 'mlflow' && !plan?.withoutMlflow);
    if (installed === undefined) continue; // not probed (over the cap)
    if (installed === null) {
      // mlflow missing is covered by python-without-mlflow when the pickle can be read directly.
      if (pin.name === 'mlflow' && r.loader === 'pickle-direct') continue;
      findings.push({
        code: 'python-package-missing',
        severity: neededToLoad ? 'error' : 'warning',
        title: `${pin.name} is not installed in the chosen Python`,
        evidence: `${pin.file} asks for ${pin.raw.trim()}; ${who} does not have ${pin.name}.`,
        fix: `Install it (\`${interp.path} -m pip install "${pin.name}${pipSpec(spec)}"\`) or choose an interpreter that has it.${neededToLoad ? '' : ' The model may import it while loading or predicting.'}`,
        file: pin.file,
        reference: null,
      });
      continue;
    }
    if (spec.trim() === '') continue;
    const ok = satisfies(installed, spec);
    if (ok === false) {
      findings.push({
        code: 'python-package-version-mismatch',
        severity: 'warning',
        title: `${pin.name} ${installed} does not match the model's pin ${spec}`,
        evidence: `${pin.file} asks for ${pin.raw.trim()}; ${who} has ${pin.name} ${installed}.`,
        fix: `Azure installs ${pin.name}${spec} from the model's environment, so predictions there may differ from this local run${pin.name === 'scikit-learn' ? ' (a pickle from another scikit-learn version can load with warnings or change behaviour)' : ''}. Install the pinned version (\`${interp.path} -m pip install "${pin.name}${pipSpec(spec)}"\`) or choose an interpreter that has it.`,
        file: pin.file,
        reference: null,
      });
    }
  }
  return findings;
}

/** A pin as pip understands it: conda's `=1.2` (a prefix match) is pip's `==1.2.*`. */
function pipSpec(spec: string): string {
  const s = spec.replace(/\s+/g, '');
  const m = /^=([^=].*)$/.exec(s);
  if (!m) return s;
  return m[1]!.endsWith('*') ? `==${m[1]}` : `==${m[1]}.*`;
}
