/**
 * What a scoring server's JSON body says, independent of how it is wrapped (issue 10 "shape differences
 * explained"; peers.md fact A2/M6): Azure ML's no-code deployment answers a bare list, `mlflow models
 * serve` (2.x) wraps the same values in `{"predictions": …}`, models with several outputs answer a dict of
 * named outputs, DataFrame outputs come back as records. Everything is reduced to named outputs with one
 * value per row so two answers can be compared cell by cell.
 */

/** How the body carried the predictions. */
export type AnswerWrapping =
  /** `[1.5, 2.5]` — Azure ML no-code, MLflow 1.x. */
  | 'bare-list'
  /** `{"predictions": …}` — MLflow 2.x scoring server, Azure's custom score.py sample. */
  | 'predictions-key'
  /** `{"a": [...], "b": [...]}` with no `predictions` key — several named outputs, unwrapped. */
  | 'named-outputs'
  /** A JSON scalar or string: nothing row-shaped. */
  | 'scalar'
  /** A body that is not JSON (text/plain, HTML). */
  | 'text';

/** The per-row form of one output. */
export type RowKind =
  /** One number/string/bool per row: a prediction or a label. */
  | 'scalar'
  /** A list per row: probabilities, embeddings, several columns. */
  | 'vector'
  /** An object per row (DataFrame records): its keys became separate outputs. */
  | 'record'
  | 'empty';

export interface OutputColumn {
  /** `predictions` for the single unnamed output, else the output's / column's name. */
  name: string;
  rows: unknown[];
  kind: RowKind;
  /** Width of vector rows (the first row's length); null for other kinds. */
  width: number | null;
}

export interface AnswerShape {
  wrapping: AnswerWrapping;
  /** Rows of the first output (outputs of one answer normally share the row count). */
  rowCount: number;
  outputs: OutputColumn[];
  /** When the records' keys were split into outputs, the original per-row form was `record`. */
  records: boolean;
}

export const SINGLE_OUTPUT = 'predictions';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function rowKind(rows: unknown[]): RowKind {
  if (rows.length === 0) return 'empty';
  const first = rows[0];
  if (Array.isArray(first)) return 'vector';
  if (isPlainObject(first)) return 'record';
  return 'scalar';
}

function column(name: string, value: unknown): OutputColumn {
  // A named output given as a scalar (e.g. {"n": 3}) is one row.
  const rows = Array.isArray(value) ? value : [value];
  const kind = rowKind(rows);
  return { name, rows, kind, width: kind === 'vector' ? (rows[0] as unknown[]).length : null };
}

/** Records (`[{"a":1,"b":2}, …]`) become one output per key, in first-seen order. */
function splitRecords(rows: unknown[]): OutputColumn[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (!isPlainObject(r)) continue;
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  }
  return names.map((n) => column(n, rows.map((r) => (isPlainObject(r) && n in r ? r[n] : null))));
}

function outputsOf(value: unknown): { outputs: OutputColumn[]; records: boolean } {
  if (Array.isArray(value)) {
    if (rowKind(value) === 'record') return { outputs: splitRecords(value), records: true };
    return { outputs: [column(SINGLE_OUTPUT, value)], records: false };
  }
  if (isPlainObject(value)) return { outputs: Object.entries(value).map(([k, v]) => column(k, v)), records: false };
  return { outputs: [column(SINGLE_OUTPUT, [value])], records: false };
}

/** Reads a scoring server's JSON body (as `bodyView` gives it: NaN/Infinity as strings, text bodies as a string). */
export function answerShape(body: unknown, opts: { json: boolean } = { json: true }): AnswerShape {
  let wrapping: AnswerWrapping;
  let inner: unknown;
  if (!opts.json) {
    wrapping = 'text';
    inner = [body];
  } else if (Array.isArray(body)) {
    wrapping = 'bare-list';
    inner = body;
  } else if (isPlainObject(body) && Object.keys(body).length === 1 && 'predictions' in body) {
    wrapping = 'predictions-key';
    inner = body.predictions;
  } else if (isPlainObject(body)) {
    wrapping = 'named-outputs';
    inner = body;
  } else {
    wrapping = 'scalar';
    inner = [body];
  }
  const { outputs, records } = outputsOf(inner);
  return { wrapping, rowCount: outputs[0]?.rows.length ?? 0, outputs, records };
}

/** Plain words for a wrapping, as the verdict sentence uses them ("returns a bare list"). */
export function describeWrapping(shape: AnswerShape): string {
  const base: Record<AnswerWrapping, string> = {
    'bare-list': 'returns a bare list',
    'predictions-key': 'wraps it in {"predictions": …}',
    'named-outputs': `returns named outputs (${shape.outputs.map((o) => o.name).join(', ')})`,
    scalar: 'returns a single value',
    text: 'returns text, not JSON',
  };
  return base[shape.wrapping] + (shape.records ? ' of records' : '');
}
