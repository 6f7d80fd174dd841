import type { ConvertTarget, MlflowVersionInfo } from '@shared/mlflow/payload';

/**
 * The request forms the playground's format switch offers, and which server reads each (payloads.md §3, §4). The
 * MLflow forms are those of the server the model pins: 2.x+ envelopes, or for MLflow 1.x the pre-2.0 forms — a bare
 * pandas split or records body with its `format=` Content-Type, TF serving and CSV (docs/fidelity.md §15).
 */
export type Format = ConvertTarget;

export interface FormatOption {
  id: Format;
  label: string;
}

/** For an MLflow 2.x or later server (and before the model's version is known). */
export const FORMATS: readonly FormatOption[] = [
  { id: 'azureml', label: 'Azure ML input_data' },
  { id: 'dataframe_split', label: 'MLflow dataframe_split' },
  { id: 'dataframe_records', label: 'MLflow dataframe_records' },
  { id: 'instances', label: 'MLflow instances' },
  { id: 'inputs', label: 'MLflow inputs' },
  { id: 'csv', label: 'CSV (MLflow)' },
];

/** For an MLflow 1.x server: what the pre-2.0 scoring server reads (no envelope, no params). */
export const FORMATS_1X: readonly FormatOption[] = [
  { id: 'azureml', label: 'Azure ML input_data' },
  { id: 'mlflow1_split', label: 'MLflow 1.x pandas split' },
  { id: 'mlflow1_records', label: 'MLflow 1.x pandas records' },
  { id: 'instances', label: 'MLflow 1.x instances (TF serving)' },
  { id: 'inputs', label: 'MLflow 1.x inputs (TF serving)' },
  { id: 'csv', label: 'CSV (MLflow 1.x)' },
];

/** Every form with its name (the command palette, result cards): the 2.x names, and the two 1.x-only forms. */
export const ALL_FORMATS: readonly FormatOption[] = [...FORMATS, ...FORMATS_1X.filter((f) => f.id.startsWith('mlflow1_'))];

/** The switch's forms for the MLflow server the model's answers name (null: not known yet, the 2.x forms). */
export function formatsFor(mlflow: Pick<MlflowVersionInfo, 'behaviour'> | null): readonly FormatOption[] {
  return mlflow?.behaviour === '1.x' ? FORMATS_1X : FORMATS;
}

/** The form of a body from its Content-Type and first key (cheap enough to run on every keystroke); null when unknown. */
export function detectFormat(body: string, contentType: string | null): Format | null {
  if (contentType && /csv/i.test(contentType)) return 'csv';
  // MLflow 1.x: the Content-Type names the orient (`application/json; format=pandas-split|pandas-records`)
  const orient = contentType ? /;\s*format\s*=\s*pandas-(split|records)\s*(;|$)/i.exec(contentType) : null;
  if (orient) return orient[1]!.toLowerCase() === 'split' ? 'mlflow1_split' : 'mlflow1_records';
  if (/^\s*\[\s*\{/.test(body)) return 'mlflow1_records';
  const m = /^\s*\{\s*"([a-z_]+)"/.exec(body);
  const key = m?.[1];
  if (key === 'input_data') return 'azureml';
  if (key === 'dataframe_split' || key === 'dataframe_records' || key === 'instances' || key === 'inputs') return key;
  if (key === 'columns' || key === 'index' || key === 'data') return 'mlflow1_split';
  return null;
}

/**
 * The Content-Type for text typed or pasted into the editor, given the one it had: CSV pasted over a JSON body
 * (a first line with commas and no JSON brackets) is sent as `text/csv`, and JSON pasted over a CSV body as
 * `application/json` — the editor holds one text, and keeping the old type sent the pasted rows as JSON (both servers
 * refuse that: a 400 "could not be decoded as JSON"). A body with no Content-Type (curl import without one), an empty
 * text and anything else keep theirs.
 */
export function contentTypeForText(body: string, current: string | null): string | null {
  const start = /\S/.exec(body);
  if (!start || current === null) return current;
  const first = body[start.index]!;
  const looksJson = first === '{' || first === '[';
  if (/csv/i.test(current)) return looksJson ? 'application/json' : current;
  if (!/json/i.test(current) || looksJson || first === '"') return current;
  const eol = body.indexOf('\n', start.index);
  const header = body.slice(start.index, eol < 0 ? body.length : eol);
  // a JSON body that lost its opening brace is still JSON being edited, not a CSV header
  return header.includes(',') && !/[{[]/.test(header) ? 'text/csv' : current;
}

/** Which server's rules the editor validates the body against. */
export function serverOfFormat(f: Format | null): 'azureml' | 'mlflow' {
  return f === 'azureml' ? 'azureml' : 'mlflow';
}
