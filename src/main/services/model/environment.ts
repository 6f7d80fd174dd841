import { posix } from 'node:path';
import { isSeq } from 'yaml';
import { AppError, ErrorCodes, isAppError } from '@shared/errors';
import { parseYamlDocument, type ParsedMLmodel, type ParsedYaml } from '@shared/mlflow/mlmodel';
import { duplicateYamlKeys, type YamlDuplicateKey } from '@shared/mlflow/yaml-duplicate-keys';
import type { Dependency, EnvFile, Environment, Problem } from '@shared/mlflow/model-report';
import {
  condaDependency,
  condaPythonVersion,
  findDependencyConflicts,
  findPythonConflict,
  pipDependencies,
  splitPipLines,
  type LogicalLine,
} from '@shared/mlflow/requirements';
import { pushAll } from '@shared/arrays';
import { normalizeRelative, type ModelRoot } from './safe-fs';
import { formatCount } from '@shared/format-count';

/**
 * The Python environment a model folder asks for: conda.yaml (or whatever `python_function.env` names,
 * `conda.yml` in old models), python_env.yaml, requirements.txt, constraints.txt and every `-r` / `-c`
 * file they include, merged into one dependency table with the disagreements between files.
 */

type EnvKind = EnvFile['kind'];

interface QueueItem {
  file: string;
  kind: EnvKind;
  /** What named the file (`MLmodel flavors.python_function.env.conda`, `python_env.yaml line 5`), or null when found by name. */
  referencedBy: string | null;
}

/** More env files than this (through `-r` chains) is not a real model; stop rather than loop. */
const MAX_ENV_FILES = 40;

/**
 * More dependency entries than this, over all the environment files, is no environment MLflow wrote (it lists the
 * packages the model imports: a few dozen). The rest is not read: a 500 000-line requirements.txt took 35 s to
 * open in the app and then crashed its Environment tab.
 */
export const MAX_DEPENDENCIES = 5000;

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1-based lines of the items of the YAML sequence at `path`, for dependency rows. */
function sequenceLines({ doc, lineCounter }: ParsedYaml, path: (string | number)[]): (number | null)[] {
  const node = doc.getIn(path, true);
  if (!isSeq(node)) return [];
  return node.items.map((item) => {
    const range = (item as { range?: [number, number, number] }).range;
    return range ? lineCounter.linePos(range[0]).line : null;
  });
}

function pipListLines(values: unknown[], lines: (number | null)[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  values.forEach((v, i) => {
    if (typeof v === 'string' && v.trim() !== '') out.push({ text: v.trim(), line: lines[i] ?? 0 });
  });
  return out;
}

export interface EnvironmentResult {
  environment: Environment;
  problems: Problem[];
  /** Keys written twice in conda.yaml / python_env.yaml (the last one is used, as PyYAML reads them). */
  duplicateKeys: YamlDuplicateKey[];
}

/** Reads and merges the environment files. Never throws for a bad file: it becomes an EnvFile error and a problem. */
export async function readEnvironment(root: ModelRoot, parsed: ParsedMLmodel | null): Promise<EnvironmentResult> {
  const files: EnvFile[] = [];
  const dependencies: Dependency[] = [];
  const indexUrls: string[] = [];
  const problems: Problem[] = [];
  const duplicateKeys: YamlDuplicateKey[] = [];
  const queue: QueueItem[] = [];
  const mlmodelFile = parsed?.info.file ?? 'MLmodel';

  const enqueue = (name: string, kind: EnvKind, referencedBy: string | null, fromDir = '.', referrer = mlmodelFile): void => {
    const file = normalizeRelative(name, fromDir);
    if (file === null) {
      problems.push({
        file: referrer,
        code: ErrorCodes.OUTSIDE_FOLDER,
        message: `${referencedBy ?? 'An environment file'} names ${JSON.stringify(name)}, which is outside the model folder; Preflight does not read it, and Azure ML will not have it either. Copy the file into the model folder.`,
      });
      return;
    }
    if (queue.some((q) => q.file === file)) return;
    if (queue.length >= MAX_ENV_FILES) {
      problems.push({ file, code: ErrorCodes.TOO_MANY_FILES, message: `More than ${formatCount(MAX_ENV_FILES)} environment files are chained with -r/-c; ${file} and later ones are not read.` });
      return;
    }
    queue.push({ file, kind, referencedBy });
  };

  // MLflow < 2.0 wrote `env: conda.yaml`, 2.x writes `env: {conda: …, virtualenv: …}`: name the key as written.
  const pyfuncEnv = parsed?.info.flavors.find((f) => f.name === 'python_function')?.settings.env;
  const envRef = (key: 'conda' | 'virtualenv'): string =>
    `${mlmodelFile} flavors.python_function.env${typeof pyfuncEnv === 'string' ? '' : `.${key}`}`;
  if (parsed?.envFiles.conda) enqueue(parsed.envFiles.conda, 'conda', envRef('conda'));
  for (const name of ['conda.yaml', 'conda.yml']) if (await root.isFile(name)) enqueue(name, 'conda', null);
  if (parsed?.envFiles.virtualenv) enqueue(parsed.envFiles.virtualenv, 'python_env', envRef('virtualenv'));
  if (await root.isFile('python_env.yaml')) enqueue('python_env.yaml', 'python_env', null);
  if (await root.isFile('requirements.txt')) enqueue('requirements.txt', 'requirements', null);
  if (await root.isFile('constraints.txt')) enqueue('constraints.txt', 'constraints', null);

  const cut = new Set<string>();
  /** How many of `wanted` more entries of `file` are read; the first time a file does not fit, a problem says so. */
  const room = (file: string, wanted: number): number => {
    const left = Math.max(0, MAX_DEPENDENCIES - dependencies.length);
    if (wanted > left && !cut.has(file)) {
      cut.add(file);
      problems.push({
        file,
        code: ErrorCodes.TOO_MANY_FILES,
        message: `${file} has more entries than Preflight reads (${formatCount(MAX_DEPENDENCIES)} dependencies over all the environment files): the rest are not read or checked. An environment MLflow writes lists the packages the model imports, a few dozen; check that this is the right file.`,
      });
    }
    return Math.min(wanted, left);
  };

  const addPip = (all: LogicalLine[], file: string): void => {
    const n = room(file, all.length);
    const lines = n < all.length ? all.slice(0, n) : all;
    const result = pipDependencies(lines, file);
    pushAll(dependencies, result.dependencies);
    pushAll(indexUrls, result.indexUrls);
    for (const e of result.errors) problems.push({ file, code: ErrorCodes.INVALID_FILE, message: e.message });
    for (const inc of result.includes) {
      enqueue(inc.path, inc.option === '-r' ? 'requirements' : 'constraints', `${file} line ${inc.line} (${inc.option} ${inc.path})`, posix.dirname(file), file);
    }
  };

  for (let i = 0; i < queue.length; i++) {
    const item = queue[i];
    const envFile: EnvFile = { file: item.file, kind: item.kind, python: null, error: null };
    files.push(envFile);
    let text: string;
    try {
      text = await root.readText(item.file);
    } catch (err) {
      if (!isAppError(err)) throw err;
      const message =
        err.code === ErrorCodes.NOT_FOUND && item.referencedBy
          ? `${item.referencedBy} names ${item.file}, but that file is not in the folder. Azure ML builds the model's environment from these files; copy it back from where the model was logged.`
          : err.message;
      envFile.error = message;
      problems.push({ file: item.file, code: err.code, message });
      continue;
    }
    try {
      if (item.kind === 'conda') envFile.python = readConda(text, item.file, dependencies, problems, addPip, room, duplicateKeys);
      else if (item.kind === 'python_env') envFile.python = readPythonEnv(text, item.file, problems, addPip, duplicateKeys);
      else addPip(splitPipLines(text), item.file);
    } catch (err) {
      if (!isAppError(err)) throw err;
      envFile.error = err.message;
      problems.push({ file: item.file, code: err.code, message: err.message });
    }
  }

  const constraintsFiles = new Set(files.filter((f) => f.kind === 'constraints').map((f) => f.file));
  const conflicts = findDependencyConflicts(dependencies, constraintsFiles);
  const pythonSources = [
    ...(parsed?.info.pythonVersion ? [{ file: mlmodelFile, version: parsed.info.pythonVersion }] : []),
    ...files.filter((f) => f.python !== null).map((f) => ({ file: f.file, version: f.python as string })),
  ];
  const pythonConflict = findPythonConflict(pythonSources);
  if (pythonConflict) conflicts.unshift(pythonConflict);

  return { environment: { files, dependencies, conflicts, indexUrls: [...new Set(indexUrls)] }, problems, duplicateKeys };
}

/** conda.yaml → dependency rows (conda channel packages and the `pip:` list). Returns the Python version asked for. */
function readConda(
  text: string,
  file: string,
  dependencies: Dependency[],
  problems: Problem[],
  addPip: (lines: LogicalLine[], file: string) => void,
  room: (file: string, wanted: number) => number,
  duplicateKeys: YamlDuplicateKey[],
): string | null {
  // failsafe: every scalar is the text as written (`python=3.10` must not become a number anywhere). Parsed once: the
  // same document gives the rows' lines (a conda.yaml with many `pip:` lists asks once per list).
  const parsed = parseYamlDocument(text, file, { schema: 'failsafe' });
  pushAll(duplicateKeys, duplicateYamlKeys(parsed.doc, parsed.lineCounter, file));
  const value = parsed.value;
  if (!isPlain(value)) {
    const found = value === null || value === '' ? 'an empty file' : Array.isArray(value) ? 'a list' : 'a single value';
    throw invalid(file, `${file} should be a YAML mapping with "channels" and "dependencies", found ${found}. Re-create it with MLflow or "conda env export".`);
  }
  const channels = Array.isArray(value.channels) ? value.channels.filter((c): c is string => typeof c === 'string') : [];
  const deps = value.dependencies;
  if (deps === undefined || deps === '' || deps === null) return null;
  if (!Array.isArray(deps)) throw invalid(file, `${file} "dependencies" should be a list, found a ${isPlain(deps) ? 'mapping' : 'single value'}.`);
  const lines = sequenceLines(parsed, ['dependencies']);
  let python: string | null = null;
  deps.forEach((entry, index) => {
    const line = lines[index] ?? null;
    if (typeof entry === 'string') {
      if (room(file, 1) === 0) return;
      const dep = condaDependency(entry, file, line, channels);
      if ('error' in dep) {
        problems.push({ file, code: ErrorCodes.INVALID_FILE, message: dep.error });
        return;
      }
      if (dep.name === 'python' && python === null) python = condaPythonVersion(dep.spec) ?? (dep.spec || null);
      dependencies.push(dep);
    } else if (isPlain(entry) && 'pip' in entry) {
      const pip = entry.pip;
      if (!Array.isArray(pip)) {
        problems.push({ file, code: ErrorCodes.INVALID_FILE, message: `${file}${line === null ? '' : ` line ${line}`}: "pip:" should hold a list of requirements.` });
        return;
      }
      addPip(pipListLines(pip, sequenceLines(parsed, ['dependencies', index, 'pip'])), file);
    } else {
      problems.push({
        file,
        code: ErrorCodes.INVALID_FILE,
        message: `${file}${line === null ? '' : ` line ${line}`}: a dependency should be a package spec (e.g. numpy=1.24) or a "pip:" list, found ${JSON.stringify(entry)}.`,
      });
    }
  });
  return python;
}

/** python_env.yaml → pip rows from build_dependencies and dependencies. Returns its `python`. */
function readPythonEnv(
  text: string,
  file: string,
  problems: Problem[],
  addPip: (lines: LogicalLine[], file: string) => void,
  duplicateKeys: YamlDuplicateKey[],
): string | null {
  const parsed = parseYamlDocument(text, file, { schema: 'failsafe' });
  pushAll(duplicateKeys, duplicateYamlKeys(parsed.doc, parsed.lineCounter, file));
  const value = parsed.value;
  if (!isPlain(value)) {
    throw invalid(file, `${file} should be a YAML mapping with "python", "build_dependencies" and "dependencies". Re-create it with MLflow.`);
  }
  for (const key of ['build_dependencies', 'dependencies']) {
    const list = value[key];
    if (list === undefined || list === '' || list === null) continue;
    if (!Array.isArray(list)) {
      problems.push({ file, code: ErrorCodes.INVALID_FILE, message: `${file} "${key}" should be a list of pip requirements.` });
      continue;
    }
    addPip(pipListLines(list, sequenceLines(parsed, [key])), file);
  }
  const python = value.python;
  return typeof python === 'string' && python.trim() !== '' ? python.trim() : null;
}

function invalid(file: string, message: string): AppError {
  return new AppError(ErrorCodes.INVALID_FILE, message, { details: { file } });
}
