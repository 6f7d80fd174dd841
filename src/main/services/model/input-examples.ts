import { ErrorCodes, isAppError } from '@shared/errors';
import type { InputExample, Problem } from '@shared/mlflow/model-report';
import type { ParsedMLmodel } from '@shared/mlflow/mlmodel';
import { dumpPyJson, mapPyValue, parsePyJson, PyFloat, type PyValue } from '@shared/mlflow/payload/py-json';
import { normalizeRelative, type ModelRoot } from './safe-fs';

/**
 * Input examples of a model folder (payloads.md §1 "Input examples"): the file MLmodel's
 * `saved_input_example_info.artifact_path` names (normally input_example.json), the ready-to-send
 * `serving_input_path` (serving_input_example.json, MLflow ≥ 2.15), and either file when it is present but
 * not referenced. Azure ML builds its request parser from input_example.json (payloads.md §4), so its
 * exact form matters.
 */

/** `pretty` is cut here (characters) so a huge example cannot flood the UI or the CLI. */
export const MAX_PRETTY_CHARS = 200_000;

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function majorVersion(version: string | null): number | null {
  const m = version === null ? null : /^(\d+)/.exec(version);
  return m ? Number(m[1]) : null;
}

function isSplitFrame(value: unknown): value is Plain {
  return isPlain(value) && Array.isArray(value.data) && Object.keys(value).every((k) => k === 'columns' || k === 'data' || k === 'index');
}

/**
 * MLflow 1.x and 2.x both write a split frame as `{"columns", "data"}`; what differs is how it may be sent
 * (1.x servers took the bare body, 2.x servers need `dataframe_split`), so the model's MLflow version
 * decides between `dataframe-split` and `legacy-split`. No recorded version means a pre-2.0 MLmodel.
 */
function splitForm(mlflowVersion: string | null): string {
  const major = majorVersion(mlflowVersion);
  return major !== null && major >= 2 ? 'dataframe-split' : 'legacy-split';
}

/**
 * The example's `form` (see InputExampleSchema) from the MLmodel description (`type`, `pandas_orient`,
 * `format`) and the content itself. `info` is saved_input_example_info (or the legacy `input_example:`
 * block), null when the file is not referenced.
 */
export function classifyExample(
  content: unknown,
  role: InputExample['role'],
  info: Plain | null,
  mlflowVersion: string | null,
): { form: string; hasParams: boolean } {
  if (role === 'serving_input_example') {
    return { form: 'serving-body', hasParams: isPlain(content) && content.params !== undefined && content.params !== null };
  }
  // With params MLflow saves `{"inputs": <data>, "params": {...}}` (S3 `_Example`).
  const hasParams = isPlain(content) && 'inputs' in content && isPlain(content.params);
  const data = hasParams ? (content as Plain).inputs : content;
  const type = typeof info?.type === 'string' ? info.type : null;
  const tfServing = info?.format === 'tf-serving';

  switch (type) {
    case 'dataframe': {
      const orient = info?.pandas_orient ?? info?.format;
      if (orient === 'values' || Array.isArray(data)) return { form: 'dataframe-values', hasParams };
      if (isSplitFrame(data)) return { form: splitForm(mlflowVersion), hasParams };
      return { form: 'unknown', hasParams };
    }
    case 'ndarray':
      if (tfServing || (isPlain(data) && Object.keys(data).length === 1 && 'inputs' in data && !hasParams)) return { form: 'tf-serving', hasParams };
      if (Array.isArray(data)) return { form: 'ndarray', hasParams };
      if (isPlain(data)) return { form: 'named-ndarrays', hasParams };
      return { form: 'unknown', hasParams };
    case 'json_object':
      return { form: 'json-object', hasParams };
    case 'sparse_matrix_csc':
    case 'sparse_matrix_csr':
      return { form: 'sparse', hasParams };
    default:
      break;
  }
  // Not described by MLmodel: judge by content alone.
  if (isPlain(data)) {
    if (['dataframe_split', 'dataframe_records', 'instances'].some((k) => k in data)) return { form: 'serving-body', hasParams };
    if (Object.keys(data).length === 1 && 'inputs' in data) return { form: 'tf-serving', hasParams };
    if (isSplitFrame(data)) return { form: splitForm(mlflowVersion), hasParams };
    if ('indices' in data && 'indptr' in data) return { form: 'sparse', hasParams };
    return { form: 'json-object', hasParams };
  }
  if (Array.isArray(data)) return { form: 'ndarray', hasParams };
  return { form: 'unknown', hasParams };
}

/**
 * The parsed example as plain JSON data for `content`. Python's `json.dump` writes bare NaN / Infinity
 * for missing values; JSON has no such values, so they become null here (and the caller says so). Ints
 * beyond 2^53 become the nearest double, as `JSON.parse` would give. Object keys are set with
 * defineProperty so a `__proto__` key stays a plain key.
 */
function plainContent(value: PyValue): { content: unknown; nonFiniteReplaced: boolean } {
  let nonFiniteReplaced = false;
  const content = mapPyValue(value, (v) => {
    if (v instanceof PyFloat) return v.value;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number' && !Number.isFinite(v)) {
      nonFiniteReplaced = true;
      return null;
    }
    return v;
  });
  return { content, nonFiniteReplaced };
}

function cap(text: string): { pretty: string; truncated: boolean } {
  return text.length > MAX_PRETTY_CHARS ? { pretty: text.slice(0, MAX_PRETTY_CHARS), truncated: true } : { pretty: text, truncated: false };
}

interface Candidate {
  file: string;
  role: InputExample['role'];
  /** e.g. `saved_input_example_info.artifact_path`, or null when found by name only. */
  referencedBy: string | null;
}

export interface ExamplesResult {
  examples: InputExample[];
  problems: Problem[];
}

/** Reads every input example the folder has or MLmodel names. Never throws for a bad example. */
export async function readInputExamples(root: ModelRoot, parsed: ParsedMLmodel | null, mlmodelFile: string | null): Promise<ExamplesResult> {
  const problems: Problem[] = [];
  const candidates: Candidate[] = [];
  const add = (name: string, role: Candidate['role'], referencedBy: string | null): void => {
    const file = normalizeRelative(name);
    if (file === null) {
      problems.push({
        file: mlmodelFile ?? name,
        code: ErrorCodes.OUTSIDE_FOLDER,
        message: `MLmodel ${referencedBy ?? 'example'} names ${JSON.stringify(name)}, which is outside the model folder; Preflight does not read it. MLflow always writes examples inside the folder.`,
      });
      return;
    }
    if (!candidates.some((c) => c.file === file)) candidates.push({ file, role, referencedBy });
  };
  const info = parsed?.exampleInfo ?? null;
  if (info?.artifactPath) add(info.artifactPath, 'input_example', `${info.source}.artifact_path`);
  if (info?.servingInputPath) add(info.servingInputPath, 'serving_input_example', `${info.source}.serving_input_path`);
  for (const [name, role] of [['input_example.json', 'input_example'], ['serving_input_example.json', 'serving_input_example']] as const) {
    if (!candidates.some((c) => c.file === name) && (await root.isFile(name))) add(name, role, null);
  }

  const raw = parsed?.info.raw ?? {};
  const exampleMeta = parsed?.info.savedInputExampleInfo ?? (isPlain(raw.input_example) ? raw.input_example : null);
  const mlflowVersion = parsed?.info.mlflowVersion ?? null;
  const examples: InputExample[] = [];

  for (const c of candidates) {
    let text: string;
    try {
      text = await root.readText(c.file);
    } catch (err) {
      if (!isAppError(err)) throw err;
      const message =
        err.code === ErrorCodes.NOT_FOUND && c.referencedBy
          ? `MLmodel ${c.referencedBy} names ${c.file}, but that file is not in the folder. Copy it back from where the model was logged, ` +
            `or remove the reference; without it Azure ML builds its request parser from the signature alone.`
          : err.message;
      problems.push({ file: c.file, code: err.code, message });
      continue;
    }
    try {
      // Parsed the way Python's json reads it and re-printed with Python's lexemes, so `1.0` stays `1.0`:
      // Azure's dtypes come from exactly that difference (payloads.md §4), and the readiness rule reads it
      // back from `pretty`.
      const parsed = parsePyJson(text);
      const { content, nonFiniteReplaced } = plainContent(parsed);
      const { form, hasParams } = classifyExample(content, c.role, c.referencedBy ? exampleMeta : null, mlflowVersion);
      examples.push({ file: c.file, role: c.role, form, content, ...cap(dumpPyJson(parsed, { indent: 2 })), hasParams, error: null });
      if (nonFiniteReplaced) {
        problems.push({
          file: c.file,
          code: ErrorCodes.NON_FINITE_JSON,
          message: `${c.file} contains NaN or Infinity (Python's json writes them for missing values); JSON has no such values, so the parsed content holds null there (the text above keeps Python's tokens).`,
        });
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const message = `${c.file} is not valid JSON: ${reason}. Re-save the example with MLflow (mlflow.models.save_model(..., input_example=...)) or fix the JSON.`;
      examples.push({ file: c.file, role: c.role, form: 'unknown', content: null, ...cap(text), hasParams: false, error: message });
      problems.push({ file: c.file, code: ErrorCodes.INVALID_FILE, message });
    }
  }
  return { examples, problems };
}
