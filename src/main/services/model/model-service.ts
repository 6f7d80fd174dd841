import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError, ErrorCodes, isAppError } from '@shared/errors';
import { parseMLmodelText, type ParsedMLmodel } from '@shared/mlflow/mlmodel';
import type { Environment, FileEntry, ModelReport, OnnxSummary, Problem, Signature } from '@shared/mlflow/model-report';
import { parseSignature } from '@shared/mlflow/signature';
import { silentLogger, type Logger } from '../../ports/logger';
import { readEnvironment } from './environment';
import { expandHome } from './home-path';
import { throwIfAborted, walkModelFolder, type WalkResult } from './file-tree';
import { readInputExamples } from './input-examples';
import { inspectOnnx } from './onnx/inspect-onnx';
import { assessReadiness, type ReportWithoutFindings } from './readiness/assess';
import { describeFsError, ModelRoot, normalizeRelative } from './safe-fs';
import { pushAll } from '@shared/arrays';
import { formatCount } from '@shared/format-count';

/**
 * `model.inspect`: everything Preflight can tell about an MLflow model folder (or a bare `.onnx` file)
 * without running it. Fatal problems (nothing there, no model, MLmodel unreadable or not YAML) throw an
 * AppError; everything else is collected in `problems` so one bad file never hides the rest.
 */

export interface InspectOptions {
  signal?: AbortSignal;
}

/**
 * MLmodel files are a few kB, or a few MB for a wide model; this cap keeps a mistaken or hostile file from stalling
 * the parser. What the parser cannot read fast is bounded by countYamlEntries (lines, items, double-quoted text),
 * not by bytes: a 100 000-column signature (5.6 MB, one single-quoted scalar PyYAML wraps over 75 000 lines) parses
 * in well under a second, a 15 MB single-quoted value in 0.4 s, while one 15 MB double-quoted value took 28 s and
 * 1.1 GB (refused by its characters, mlmodel.ts DOUBLE_QUOTED_CHARS_PER_ENTRY).
 */
export const MAX_MLMODEL_BYTES = 16 * 1024 * 1024;

/**
 * The one legitimate MLmodel over the cap is a very wide model: its signature is one JSON string of every column
 * (about 60 bytes each), so 270 000 columns make 16 MB. "Check that it is the right file" sent such users looking
 * for a wrong file; say what makes it big instead.
 */
function mlmodelTooLarge(name: string, err: AppError): AppError {
  return new AppError(
    ErrorCodes.INVALID_FILE,
    `${err.message.replace(/ Check that it is the right file\.$/, '')} MLflow writes a few kB, plus about 60 bytes per signature column: ` +
      `a model this large is either not an MLmodel or has a signature of hundreds of thousands of columns (100 000 columns make about 5.6 MB), ` +
      `which Preflight cannot inspect. Check that ${name} is the file MLflow wrote; for a model this wide, test it with mlflow models serve instead.`,
    { details: err.details, cause: err },
  );
}

/** ONNX files inspected per folder; more is not a model folder anyone deploys. */
export const MAX_ONNX_FILES = 20;

const EMPTY_ENVIRONMENT: Environment = { files: [], dependencies: [], conflicts: [], indexUrls: [] };

function isMLmodelFileName(name: string): boolean {
  // `MLmodel` itself, or a variant kept beside it (MLflow's own tests carry `MLmodel.with.metadata` etc.).
  return name === 'MLmodel' || (name.startsWith('MLmodel.') && !/\.onnx$/i.test(name));
}

/** Folders below the root that hold their own MLmodel, shallowest first: what the user probably meant. */
function nestedModelFolders(files: FileEntry[], name: string): string[] {
  return files
    .filter((f) => f.kind === 'file' && f.path.endsWith(`/${name}`))
    .map((f) => f.path.slice(0, -(name.length + 1)))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

function parentOfModel(root: ModelRoot, name: string, nested: string[]): AppError {
  const candidates = nested.map((rel) => join(root.path, rel));
  const others = candidates.length > 1 ? ` (other model folders inside: ${candidates.slice(1, 4).join(', ')}${candidates.length > 4 ? ', …' : ''})` : '';
  return new AppError(
    ErrorCodes.NOT_A_MODEL,
    `${root.path} is not an MLflow model folder: it has no ${name} file of its own. Did you mean ${candidates[0]}?${others} Open the folder that contains ${name}.`,
    { details: { candidates } },
  );
}

export class ModelService {
  constructor(private readonly logger: Logger = silentLogger) {}

  /** Inspects a model folder, an MLmodel file (its folder is inspected) or a bare `.onnx` file. */
  async inspect(path: string, options: InspectOptions = {}): Promise<ModelReport> {
    const abs = resolve(expandHome(path));
    throwIfAborted(options.signal, abs);
    let info;
    try {
      info = await stat(abs);
    } catch (err) {
      const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: string }).code : '';
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new AppError(ErrorCodes.NOT_FOUND, `Model folder not found: ${abs}. Check the path, or pick the folder that contains the MLmodel file.`);
      }
      throw new AppError(ErrorCodes.UNREADABLE, `${abs} could not be opened: ${describeFsError(err)}.`, { cause: err });
    }
    if (info.isFile()) {
      const name = basename(abs);
      if (/\.onnx$/i.test(name)) return this.inspectOnnxFile(abs, info.size, options.signal);
      if (isMLmodelFileName(name)) return this.inspectFolder(dirname(abs), name, options);
      throw new AppError(
        ErrorCodes.NOT_A_MODEL,
        `${abs} is a file (${name}), not an MLflow model. Open the model folder (the one that holds MLmodel), its MLmodel file, or a .onnx file.`,
      );
    }
    if (!info.isDirectory()) {
      throw new AppError(ErrorCodes.NOT_A_MODEL, `${abs} is not a folder or a regular file (it is a FIFO, socket or device). Open an MLflow model folder.`);
    }
    return this.inspectFolder(abs, 'MLmodel', options);
  }

  private async inspectOnnxFile(abs: string, size: number, signal?: AbortSignal): Promise<ModelReport> {
    const name = basename(abs);
    const problems: Problem[] = [];
    const onnx: OnnxSummary[] = [];
    const summary = await this.runOnnx(await realpath(abs), name, problems, signal);
    if (summary) onnx.push(summary);
    const report: ReportWithoutFindings = {
      schemaVersion: 1,
      path: abs,
      name,
      kind: 'onnx-file',
      mlmodel: null,
      signature: null,
      inputExamples: [],
      environment: EMPTY_ENVIRONMENT,
      onnx,
      files: [{ path: name, kind: 'file', size, target: null, outside: false }],
      totalBytes: size,
      problems,
    };
    return this.withFindings(report);
  }

  private async inspectFolder(folder: string, mlmodelName: string, options: InspectOptions): Promise<ModelReport> {
    const { signal } = options;
    const root = await ModelRoot.open(folder);
    const walk = await walkModelFolder(root.realPath, { signal });
    const problems: Problem[] = [...walk.problems];
    throwIfAborted(signal, root.path);

    const onnxInTree = walk.files.filter((f) => f.kind === 'file' && /\.onnx$/i.test(f.path) && !walk.specialFiles.has(f.path));
    const parsed = await this.readMLmodel(root, mlmodelName, walk.files, onnxInTree.length > 0, problems);
    throwIfAborted(signal, root.path);

    let signature: Signature | null = null;
    if (parsed?.signatureBlock) {
      const result = parseSignature(parsed.signatureBlock);
      signature = result.signature;
      for (const issue of result.issues) problems.push({ file: parsed.info.file, code: ErrorCodes.INVALID_FILE, message: issue.message });
    }

    const examples = await readInputExamples(root, parsed, parsed?.info.file ?? null);
    pushAll(problems, examples.problems);
    throwIfAborted(signal, root.path);

    const environment = await readEnvironment(root, parsed);
    pushAll(problems, environment.problems);
    throwIfAborted(signal, root.path);

    const onnx = await this.inspectFolderOnnx(root, parsed, onnxInTree, walk, problems, signal);

    const report: ReportWithoutFindings = {
      schemaVersion: 1,
      path: root.path,
      name: basename(root.path),
      kind: 'mlflow-folder',
      mlmodel: parsed?.info ?? null,
      signature,
      inputExamples: examples.examples,
      environment: environment.environment,
      onnx,
      files: walk.files,
      totalBytes: walk.totalBytes,
      problems,
      duplicateKeys: [...(parsed?.duplicateKeys ?? []), ...environment.duplicateKeys],
    };
    return this.withFindings(report);
  }

  /**
   * Reads and parses MLmodel. Returns null (with a problem) for a folder of bare ONNX files; throws the
   * fatal errors: no model at all, MLmodel unreadable, not YAML.
   */
  private async readMLmodel(
    root: ModelRoot,
    name: string,
    files: FileEntry[],
    hasOnnx: boolean,
    problems: Problem[],
  ): Promise<ParsedMLmodel | null> {
    let text: string;
    try {
      text = await root.readText(name, { maxBytes: MAX_MLMODEL_BYTES });
    } catch (err) {
      // Unreadable, a folder or FIFO, outside the folder, over the size cap, not UTF-8: all fatal, all specific.
      if (isAppError(err) && err.code === ErrorCodes.INVALID_FILE && (err.details as { limit?: unknown } | undefined)?.limit === MAX_MLMODEL_BYTES) {
        throw mlmodelTooLarge(name, err);
      }
      if (!isAppError(err) || err.code !== ErrorCodes.NOT_FOUND) throw err;
      // A run's artifacts folder (or any parent) holds the model one level down: opening it must not look like
      // a model that is ready, it is the commonest wrong pick.
      const nested = nestedModelFolders(files, name);
      if (nested.length > 0) throw parentOfModel(root, name, nested);
      if (hasOnnx) {
        problems.push({
          file: name,
          code: ErrorCodes.NOT_FOUND,
          message: `The folder has no ${name} file, so only its ONNX files are shown. To deploy to Azure ML without code, save it as an MLflow model (mlflow.onnx.save_model) so it gets an MLmodel with a signature.`,
        });
        return null;
      }
      throw this.notAModel(root, name, files);
    }
    const parsed = parseMLmodelText(text, name);
    for (const issue of parsed.issues) problems.push({ file: name, code: ErrorCodes.INVALID_FILE, message: issue });
    return parsed;
  }

  private notAModel(root: ModelRoot, name: string, files: FileEntry[]): AppError {
    if (files.length === 0) {
      return new AppError(
        ErrorCodes.NOT_A_MODEL,
        `${root.path} is empty. An MLflow model folder holds an MLmodel file (plus the model's files); pick the folder MLflow saved, or a .onnx file.`,
      );
    }
    // The path only, never what is inside: over browser mode's WebSocket an error listing the entries
    // would let a token holder read the names in any folder the user can.
    return new AppError(
      ErrorCodes.NOT_A_MODEL,
      `${root.path} is not an MLflow model folder: it has no ${name} file and no .onnx file. ` +
        `Pick the folder that contains MLmodel (often a "model" subfolder of a run's artifacts), or a .onnx file.`,
      { details: { path: root.path } },
    );
  }

  private async inspectFolderOnnx(
    root: ModelRoot,
    parsed: ParsedMLmodel | null,
    onnxInTree: FileEntry[],
    walk: Pick<WalkResult, 'files' | 'specialFiles'>,
    problems: Problem[],
    signal: AbortSignal | undefined,
  ): Promise<OnnxSummary[]> {
    const { files } = walk;
    const targets: string[] = [];
    const flavorData = parsed?.info.flavors.find((f) => f.name === 'onnx')?.settings.data;
    if (typeof flavorData === 'string' && flavorData !== '') {
      const rel = normalizeRelative(flavorData);
      if (rel === null) {
        problems.push({
          file: parsed?.info.file ?? 'MLmodel',
          code: ErrorCodes.OUTSIDE_FOLDER,
          message: `MLmodel flavors.onnx.data names ${JSON.stringify(flavorData)}, outside the model folder; MLflow loads it relative to the folder, so it must be inside.`,
        });
      } else if (!files.some((f) => f.path === rel)) {
        problems.push({
          file: rel,
          code: ErrorCodes.NOT_FOUND,
          message: `MLmodel flavors.onnx.data names ${rel}, but that file is not in the folder; the model cannot be loaded without it.`,
        });
      } else {
        targets.push(rel);
      }
    }
    for (const f of onnxInTree) if (!targets.includes(f.path)) targets.push(f.path);
    if (targets.length > MAX_ONNX_FILES) {
      problems.push({
        file: targets[MAX_ONNX_FILES],
        code: ErrorCodes.TOO_MANY_FILES,
        message: `The folder holds ${formatCount(targets.length)} ONNX files; only the first ${formatCount(MAX_ONNX_FILES)} are inspected.`,
      });
    }
    const summaries: OnnxSummary[] = [];
    for (const rel of targets.slice(0, MAX_ONNX_FILES)) {
      throwIfAborted(signal, root.path);
      // A FIFO, socket or device: the walk has reported it already (once is enough) and it is never opened.
      if (walk.specialFiles.has(rel)) continue;
      let real: string;
      try {
        // Same checks as a text read: inside the folder, a regular file (a FIFO would block the reader).
        real = (await root.fileSize(rel)).real;
      } catch (err) {
        if (!isAppError(err)) throw err;
        problems.push({ file: rel, code: err.code, message: err.message });
        continue;
      }
      const summary = await this.runOnnx(real, rel, problems, signal);
      if (summary) summaries.push(summary);
    }
    return summaries;
  }

  /** Calls the ONNX reader; its failures become problems, never a failed inspection. */
  private async runOnnx(absPath: string, rel: string, problems: Problem[], signal?: AbortSignal): Promise<OnnxSummary | null> {
    try {
      return await inspectOnnx(absPath, rel, { signal });
    } catch (err) {
      if (isAppError(err)) {
        problems.push({ file: rel, code: err.code, message: err.message });
      } else {
        this.logger.error(`ONNX inspection of ${rel} failed unexpectedly`, err);
        problems.push({ file: rel, code: ErrorCodes.INTERNAL, message: `${rel} could not be inspected as ONNX: an unexpected error occurred (see the log).` });
      }
      return null;
    }
  }

  /** Readiness rules are another module's; a bug there must not cost the user the whole report. */
  private withFindings(report: ReportWithoutFindings): ModelReport {
    try {
      return { ...report, findings: assessReadiness(report) };
    } catch (err) {
      this.logger.error('Readiness rules failed', err);
      return {
        ...report,
        findings: [],
        problems: [...report.problems, { file: '', code: ErrorCodes.INTERNAL, message: 'Readiness findings could not be computed: an unexpected error occurred (see the log).' }],
      };
    }
  }
}
