import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isAppError } from '@shared/errors';
import type { ModelReport, OnnxValueInfo, Signature } from '@shared/mlflow/model-report';
import type { ModelRequest } from '@shared/ipc/contract';
import type { ValidateRequestInput } from '@shared/mlflow/payload/validate';
import type { OnnxFeedInput } from '@shared/mlflow/payload/onnx-feed-dtype';
import { mlflowPin } from '@shared/mlflow/payload/version';
import { ModelRoot } from '../model/safe-fs';

/**
 * What the payload engine needs to know about a model, taken from its inspection report plus the raw
 * text of its example files. The raw text matters: Azure builds its parser from input_example.json and
 * pandas' dtype choice depends on `1` vs `1.0`, which a parsed value has already lost (payloads.md §4).
 */
export interface PayloadModelContext {
  /** Absolute path of the inspected folder (or .onnx file). */
  path: string;
  signature: Signature | null;
  /** MLmodel `mlflow_version`, when recorded. */
  mlmodelVersion: string | null;
  /** The exact `mlflow==X` requirement Azure would install (e.g. `mlflow==2.7.1`), when there is one. */
  requirementsPin: string | null;
  isSignatureFromTypeHint: boolean;
  /**
   * input_example.json: its `form` (see InputExampleSchema), parsed content and raw text; `savedType` is
   * MLmodel `saved_input_example_info.type` when it names this file, null when it does not (Azure's script
   * reads only the example MLmodel names).
   */
  inputExample: { form: string; content: unknown; text: string; savedType: string | null } | null;
  /** MLmodel's flavor names (Azure's script treats transformers/langchain/openai models apart). */
  flavors: string[];
  /** serving_input_example.json (MLflow ≥ 2.15): a ready-to-send MLflow body. */
  servingInputExample: { content: unknown; text: string } | null;
  /** The graph inputs of the model's one ONNX file (a bare .onnx, an onnx flavor): the sample when nothing else says what the model takes. */
  onnxInputs?: OnnxValueInfo[] | null;
  /** The same inputs as the wrapper feeds them (`onnxFeeds`), when it is the wrapper that runs the model: validate checks the feeds' types. */
  onnxFeeds?: OnnxFeedInput[] | null;
}

/** A request to this model in the payload engine's terms (`validateRequest` / `prepareScoreRequest`). */
export function requestFor(ctx: PayloadModelContext, req: Omit<ModelRequest, 'modelPath'>): ValidateRequestInput {
  return {
    body: req.body,
    contentType: req.contentType,
    server: req.server,
    mlflowVersion: req.mlflowVersion ?? null,
    mlmodelVersion: ctx.mlmodelVersion,
    requirementsPin: ctx.requirementsPin,
    signature: ctx.signature,
    inputExample: ctx.inputExample,
    isSignatureFromTypeHint: ctx.isSignatureFromTypeHint,
    flavors: ctx.flavors,
    onnxInputs: ctx.onnxFeeds ?? null,
  };
}

/** The graph inputs MLflow's onnx wrapper feeds: only an onnx flavor or a bare .onnx (no MLmodel, no flavors) runs the graph so. */
function onnxFeeds(report: ModelReport, flavors: readonly string[]): OnnxFeedInput[] | null {
  if (report.onnx.length !== 1 || !(flavors.length === 0 || flavors.includes('onnx'))) return null;
  return report.onnx[0]!.inputs.map((i) => (i.type.kind === 'tensor' ? { name: i.name, elemType: i.type.elemType, shape: i.type.shape } : { name: i.name, elemType: null }));
}

/**
 * The files whose change invalidates a cached context. Checked by stat on every use, so an edit to
 * MLmodel, the example or the requirements is seen on the next keystroke without a re-inspection per call.
 */
export type Fingerprint = string;

// The pin reading lives with the version resolution it feeds (the readiness rules use it too).
export { mlflowPin };

/** Builds the context from an inspection report, reading the example files' raw text through the folder's safe reads. */
export async function contextFromReport(report: ModelReport): Promise<PayloadModelContext> {
  const flavors = report.mlmodel?.flavors.map((f) => f.name) ?? [];
  const base = {
    path: report.path,
    signature: report.signature,
    mlmodelVersion: report.mlmodel?.mlflowVersion ?? null,
    requirementsPin: mlflowPin(report.environment.dependencies),
    isSignatureFromTypeHint: report.mlmodel?.isSignatureFromTypeHint ?? false,
    flavors,
    onnxInputs: report.onnx.length === 1 ? report.onnx[0]!.inputs : null,
    onnxFeeds: onnxFeeds(report, flavors),
  };
  if (report.kind !== 'mlflow-folder') return { ...base, inputExample: null, servingInputExample: null };
  const root = await ModelRoot.open(report.path);
  const readRaw = async (file: string): Promise<string | null> => {
    try {
      return await root.readText(file);
    } catch (err) {
      // The report already lists the problem (missing, outside, too big); the engine then works without it.
      if (isAppError(err)) return null;
      throw err;
    }
  };
  const example = report.inputExamples.find((e) => e.role === 'input_example' && e.error === null) ?? null;
  const serving = report.inputExamples.find((e) => e.role === 'serving_input_example' && e.error === null) ?? null;
  const exampleText = example ? await readRaw(example.file) : null;
  const servingText = serving ? await readRaw(serving.file) : null;
  return {
    ...base,
    inputExample: example && exampleText !== null ? { form: example.form, content: example.content, text: exampleText, savedType: savedTypeOf(report, example.file) } : null,
    servingInputExample: serving && servingText !== null ? { content: serving.content, text: servingText } : null,
  };
}

/** MLmodel `saved_input_example_info.type` when its `artifact_path` is `file` (A1 reads that file only), else null. */
function savedTypeOf(report: ModelReport, file: string): string | null {
  const info = report.mlmodel?.savedInputExampleInfo;
  const type = info?.['type'];
  return info && info['artifact_path'] === file && typeof type === 'string' ? type : null;
}

/** The folder (``) and every file the context came from, relative to the model path. */
export function watchedFiles(report: ModelReport): string[] {
  return report.kind === 'mlflow-folder'
    ? ['', report.mlmodel?.file ?? 'MLmodel', ...report.inputExamples.map((e) => e.file), ...report.environment.files.map((f) => f.file)]
    : [''];
}

/** Stats of `files` (from watchedFiles): any change means inspect again. Adding a file changes the folder's mtime. */
export async function fingerprintOf(path: string, files: readonly string[]): Promise<Fingerprint> {
  const parts: string[] = [];
  for (const f of files) {
    try {
      const s = await stat(f === '' ? path : join(path, f));
      parts.push(`${f}:${s.mtimeMs}:${s.size}`);
    } catch {
      parts.push(`${f}:missing`);
    }
  }
  return parts.join('|');
}

/**
 * Values derived from inspected model folders (the payload context, a loaded model), most recently used
 * kept. Each is reused while the files that feed it are unchanged (checked by stat on every get), so an
 * edited MLmodel, example or requirements file is seen on the next call without re-inspecting per call.
 */
export class InspectedModelCache<T> {
  private readonly entries = new Map<string, { path: string; files: string[]; fingerprint: Fingerprint; value: T }>();

  constructor(
    private readonly inspect: (path: string, signal?: AbortSignal) => Promise<ModelReport>,
    private readonly derive: (report: ModelReport, context: PayloadModelContext) => T,
    private readonly size = 4,
  ) {}

  async get(modelPath: string, signal?: AbortSignal): Promise<T> {
    const key = resolve(modelPath);
    const hit = this.entries.get(key);
    if (hit && (await fingerprintOf(hit.path, hit.files)) === hit.fingerprint) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.value;
    }
    const report = await this.inspect(key, signal);
    const files = watchedFiles(report);
    // Fingerprint first: a file changed while we read it is then seen as changed on the next call.
    const fingerprint = await fingerprintOf(report.path, files);
    const value = this.derive(report, await contextFromReport(report));
    this.entries.delete(key);
    this.entries.set(key, { path: report.path, files, fingerprint, value });
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
