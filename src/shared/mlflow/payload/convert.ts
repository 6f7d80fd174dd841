/**
 * Conversion between request forms (issue 3 "Conversion between forms"; CLI `preflight convert`): any body
 * MLflow's scoring server or Azure ML's no-code endpoint accepts (payloads.md §3, §4), plus MLflow 1.x
 * bodies (bare `{"columns","data"}`, `pandas-split` / `pandas-records` content types), rewritten as another
 * form — the 2.x envelopes, or the 1.x forms (`mlflow1_split`, `mlflow1_records`, TF serving and CSV as the
 * 1.x server reads them, docs/fidelity.md §15) for a model pinning MLflow 1.x.
 *
 * Output JSON is written like Python's `json.dumps` default — one line, `", "` and `": "` separators —
 * which is also how MLflow writes its own bodies (§10 "HTTP details"). Numbers keep their Python reading:
 * `1.0` stays `1.0` (a float, which decides pandas' dtype), `1` stays an int, big ints keep every digit.
 * What a target cannot carry is never dropped silently: it becomes a warning with its JSON path.
 */
import type { ColumnSpec, Signature } from '../model-report';
import { dumpPyJson, isPyDict, parsePyJson, PyFloat, pyFloatRepr, PyJsonError, type PyDict, type PyValue } from './py-json';
import { PyError } from './frame';
import { readCsvColumns, type CsvColumns } from './csv';
import { inferCsvColumn, PANDAS_NA_VALUES, type TypedColumn } from './pandas-csv';
import { pyRepr, pyStr } from './py-repr';
import type { ServerKind } from './validate';
import { pathKey, WarningSink } from './warnings';
import { LLM_KEYS } from './mlflow-server';
import { resolveMlflowVersion, speaksMlflow1, versionInfo, type EmulatedVersion } from './version';

export { CONVERT_TARGETS, type ConvertTarget } from './answers';
import type { ConvertTarget } from './answers';

/** The longest row's length. A loop, not Math.max(...rows): spreading 150k+ rows overflows the call stack. */
function widestRow(rows: PyValue[][]): number {
  let width = 0;
  for (const r of rows) if (r.length > width) width = r.length;
  return width;
}

/**
 * The form the body was recognised as: an MLflow 2.x envelope key, `csv`, `llm` (unified-LLM keys,
 * §3), Azure's `input_data` as `azureml_split` / `azureml_tensor` / `azureml_named` / `azureml_records`
 * (records: Azure refuses them, §4.1), or an MLflow 1.x body `mlflow1_split` / `mlflow1_records`.
 */
export type { ConvertSource, ConvertResult } from './answers';
import type { ConvertSource, ConvertResult } from './answers';
import { specsByName } from './spec-index';

export interface ConvertRequestInput {
  body: string;
  /** The body's Content-Type (decides CSV and the MLflow 1.x `format=pandas-*` forms); null when unknown. */
  contentType: string | null;
  to: ConvertTarget;
  /** Which server the body was written for, when the body holds both servers' envelopes. */
  fromServer?: ServerKind;
  /** The model's signature: column names for tensors, frame vs tensor shape for Azure, CSV typing. */
  signature?: Signature | null;
  /**
   * The MLflow server the MLflow forms are for, decided as `validate` decides it: the override (`--mlflow-version`),
   * else the requirements' exact pin, else MLmodel's `mlflow_version`, else the newest behaviour. A 1.x server reads
   * bare pandas bodies and no params (docs/fidelity.md §15).
   */
  mlflowVersion?: string | null;
  mlmodelVersion?: string | null;
  requirementsPin?: string | null;
}

/** A failure with a stable code and the JSON path it concerns. */
class ConvertError extends Error {
  constructor(readonly code: string, message: string, readonly path: string | null) {
    super(message);
  }
}

/** A DataFrame as rows: `labels` null when the body named no columns (pandas then uses 0..n-1). */
interface Table {
  labels: PyValue[] | null;
  index: PyValue[] | null;
  rows: PyValue[][];
  /** JSON path of a row, for warnings. */
  rowPath: (r: number) => string;
  /** JSON path of one cell, where the body holds columns rather than rows (`inputs` as {name: list}); else `rowPath`. */
  cellPath?: (r: number, c: number) => string;
}

type Data =
  | { kind: 'frame'; table: Table }
  /** One unnamed tensor (a nested list, or a scalar). */
  | { kind: 'tensor'; value: PyValue; path: string }
  /** Named inputs: `{name: value}` (named tensors, dict-of-columns, LLM dicts). */
  | { kind: 'named'; items: PyDict; path: string };

interface Source {
  from: ConvertSource;
  data: Data;
  params: PyValue | undefined;
}

interface Ctx {
  sig: Signature | null;
  sink: WarningSink;
  notes: string[];
  /** The MLflow server the MLflow forms are for. */
  mlflow: EmulatedVersion;
  /** Whether a 1.x body read as the source is being upgraded to the 2.0 protocol (else its note just says what it was read as). */
  upgrade: boolean;
}

const MLFLOW_KEYS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
const SPLIT_KEYS = ['columns', 'index', 'data'];
const MLFLOW_1_NOTE = 'MLflow 2.0 changed the scoring protocol: bodies now need an envelope key such as "dataframe_split" (payloads.md §3).';

const MLFLOW1_TARGETS: ReadonlySet<ConvertTarget> = new Set(['mlflow1_split', 'mlflow1_records']);
/** The envelopes MLflow 2.0 introduced: a 1.x server reads them as a split table with unknown keys and refuses them. */
const MLFLOW2_TARGETS: ReadonlySet<ConvertTarget> = new Set(['dataframe_split', 'dataframe_records']);

/**
 * Convert one request body to `to`. Never throws for a body: one that cannot be converted is `{ok: false, error}`.
 * Only a malformed *call* (an `mlflowVersion` that is not a version) raises AppError, as `validateRequest` does.
 */
export function convertRequest(input: ConvertRequestInput): ConvertResult {
  const mlflow = resolveMlflowVersion(input.mlmodelVersion ?? null, input.requirementsPin ?? null, input.mlflowVersion ?? null);
  const upgrade = MLFLOW2_TARGETS.has(input.to) || (!speaksMlflow1(mlflow) && !MLFLOW1_TARGETS.has(input.to));
  const ctx: Ctx = { sig: input.signature ?? null, sink: new WarningSink(), notes: [], mlflow, upgrade };
  const mlflow_version = versionInfo(mlflow);
  try {
    const src = readSource(input, ctx);
    const out = writeTarget(src, input.to, ctx);
    return { ok: true, body: out.body, contentType: out.contentType, from: src.from, mlflow_version, warnings: ctx.sink.toArray(), notes: ctx.notes };
  } catch (e) {
    if (e instanceof ConvertError) return { ok: false, error: { code: e.code, message: e.message, path: e.path } };
    if (e instanceof PyJsonError)
      return { ok: false, error: { code: 'invalid-json', message: `The body is not valid JSON (${e.message}); fix it before converting.`, path: null } };
    // A bug of ours must still reach the user as a structured answer, not a stack trace.
    return { ok: false, error: { code: 'conversion-failed', message: `Preflight could not convert this body: ${e instanceof Error ? e.message : String(e)}`, path: null } };
  }
}

// ---- reading ---------------------------------------------------------------------------------------

function contentTypeOf(ct: string | null): { mime: string | null; format: string | null } {
  if (ct === null || ct.trim() === '' || ct.trim().toLowerCase() === 'none') return { mime: null, format: null };
  const parts = ct.split(';').map((s) => s.trim());
  const format = parts.slice(1).find((p) => p.toLowerCase().startsWith('format='))?.slice(7).trim().toLowerCase() ?? null;
  return { mime: parts[0]!.toLowerCase(), format };
}

function readSource(input: ConvertRequestInput, ctx: Ctx): Source {
  const { mime, format } = contentTypeOf(input.contentType);
  if (mime === 'text/csv') return { from: 'csv', data: { kind: 'frame', table: csvToTable(input.body, ctx) }, params: undefined };
  if (mime !== null && mime !== 'application/json' && mime !== 'application/json-numpy-split' && !(mime.startsWith('application/') && mime.endsWith('+json')))
    throw new ConvertError('unsupported-content-type', `Content-Type '${input.contentType}' is neither JSON nor CSV: send application/json or text/csv.`, null);
  const json = parsePyJson(input.body);

  // MLflow 1.x content types (payloads.md §3 lists them only as 415 answers of 2.x servers)
  if (format === 'pandas-records') {
    if (!Array.isArray(json)) throw new ConvertError('invalid-records', 'Content-Type says format=pandas-records, but the body is not a JSON list of records.', '$');
    ctx.notes.push(ctx.upgrade ? `Upgraded an MLflow 1.x "format=pandas-records" body. ${MLFLOW_1_NOTE}` : 'Read as an MLflow 1.x "format=pandas-records" body (a list of records).');
    return { from: 'mlflow1_records', data: { kind: 'frame', table: recordsTable(json, '$', ctx) }, params: undefined };
  }
  if (format === 'pandas-split' || mime === 'application/json-numpy-split') {
    if (!isPyDict(json) || !json.has('data')) throw new ConvertError('invalid-split', 'Content-Type says pandas-split, but the body is not a {"columns": [...], "data": [...]} object.', '$');
    const what = format ? `format=${format}` : mime;
    ctx.notes.push(ctx.upgrade ? `Upgraded an MLflow 1.x "${what}" body. ${MLFLOW_1_NOTE}` : `Read as an MLflow 1.x "${what}" body (a split table).`);
    return { from: 'mlflow1_split', data: { kind: 'frame', table: splitTable(json, '$', ctx) }, params: undefined };
  }

  if (Array.isArray(json)) {
    if (json.length > 0 && json.every((r) => isPyDict(r))) {
      ctx.notes.push(`Read the bare list of records as an MLflow 1.x pandas-records body.${ctx.upgrade ? ` ${MLFLOW_1_NOTE}` : ''}`);
      return { from: 'mlflow1_records', data: { kind: 'frame', table: recordsTable(json, '$', ctx) }, params: undefined };
    }
    throw new ConvertError('unrecognised-body', 'The body is a bare JSON list, which neither server takes: wrap it as {"inputs": [...]} (MLflow) or {"input_data": [...]} (Azure ML).', '$');
  }
  if (!isPyDict(json))
    throw new ConvertError('unrecognised-body', `The body is a JSON ${pyStr(typeof json === 'string' ? 'string' : 'scalar')}, not an object: a request body is an object such as {"dataframe_split": {...}}.`, '$');

  const mlflowKeys = MLFLOW_KEYS.filter((k) => json.has(k));
  const llmKey = LLM_KEYS.find((k) => json.has(k));
  const hasAzure = json.has('input_data');
  let server: 'mlflow' | 'azureml' | 'mlflow1';
  if (input.fromServer === 'azureml' && hasAzure) server = 'azureml';
  else if (input.fromServer === 'mlflow' && (mlflowKeys.length > 0 || llmKey)) server = 'mlflow';
  else if (hasAzure && (mlflowKeys.length > 0 || llmKey))
    throw new ConvertError('ambiguous-body', `The body has both Azure's "input_data" and MLflow's ${pyRepr(llmKey ? [llmKey] : mlflowKeys)}: say which server it was written for (--from-server mlflow|azureml).`, '$');
  else if (hasAzure) server = 'azureml';
  else if (mlflowKeys.length > 0 || llmKey) server = 'mlflow';
  else if (json.has('data') && [...json.keys()].every((k) => SPLIT_KEYS.includes(k))) server = 'mlflow1';
  else
    throw new ConvertError(
      'unrecognised-body',
      `The body has none of the request keys (${[...MLFLOW_KEYS, ...LLM_KEYS, 'input_data'].join(', ')}), only ${pyRepr([...json.keys()])}: neither server can read it.`,
      '$',
    );
  if (input.fromServer && input.fromServer !== server && server !== 'mlflow1')
    ctx.notes.push(`The body is ${server === 'azureml' ? "an Azure ML body (input_data)" : 'an MLflow body'} although --from-server says ${input.fromServer}; it was read as what it is.`);

  const params = json.get('params');
  const dropKeys = (kept: string[]): void => {
    for (const k of json.keys())
      if (!kept.includes(k) && k !== 'params')
        ctx.sink.add('dropped-key', `Top-level key '${k}' is not part of the request (the server ignores it), so the converted body leaves it out.`, pathKey('$', k));
  };

  if (server === 'mlflow1') {
    ctx.notes.push(ctx.upgrade ? `Upgraded an MLflow 1.x body (bare {"columns", "data"}). ${MLFLOW_1_NOTE}` : 'Read as an MLflow 1.x body (a bare {"columns", "data"} split table).');
    return { from: 'mlflow1_split', data: { kind: 'frame', table: splitTable(json, '$', ctx) }, params: undefined };
  }
  if (server === 'azureml') {
    dropKeys(['input_data']);
    const v = json.get('input_data')!;
    const base = '$.input_data';
    if (isPyDict(v) && v.has('data') && [...v.keys()].every((k) => SPLIT_KEYS.includes(k)))
      return { from: 'azureml_split', data: { kind: 'frame', table: splitTable(v, base, ctx) }, params };
    if (isPyDict(v)) return { from: 'azureml_named', data: { kind: 'named', items: v, path: base }, params };
    if (Array.isArray(v) && v.length > 0 && v.every((r) => isPyDict(r))) {
      ctx.sink.add('azure-records-source', 'Azure ML refuses records under input_data (payloads.md §4.1): they are read as rows here.', base);
      return { from: 'azureml_records', data: { kind: 'frame', table: recordsTable(v, base, ctx) }, params };
    }
    return { from: 'azureml_tensor', data: { kind: 'tensor', value: v, path: base }, params };
  }
  if (llmKey) {
    // Unified LLM mode (§3): keys the params schema names are params, the rest is the data dict.
    dropKeys([...json.keys()].filter((k) => k !== 'params'));
    // The dict is one input row (its keys are the columns a signature would name), not named tensors.
    const paramNames = new Set((ctx.sig?.params ?? []).map((p) => p.name));
    const labels: PyValue[] = [];
    const row: PyValue[] = [];
    const fromKeys: PyDict = new Map();
    for (const [k, v] of json) {
      if (paramNames.has(k)) fromKeys.set(k, v);
      else if (k !== 'params') {
        labels.push(k);
        row.push(v);
      }
    }
    let merged: PyValue | undefined = params;
    if (fromKeys.size > 0) merged = new Map([...(isPyDict(params) ? params : []), ...fromKeys]);
    ctx.sink.add('llm-routing-lost', `'${llmKey}' makes MLflow pass the whole dict to predict() unparsed (unified LLM mode, §3); in the converted form the server parses it like any other input.`, pathKey('$', llmKey));
    return { from: 'llm', data: { kind: 'frame', table: { labels, index: null, rows: [row], rowPath: () => '$' } }, params: merged };
  }
  if (mlflowKeys.length > 1)
    throw new ConvertError('ambiguous-body', `MLflow takes exactly one input field, the body has ${pyRepr(mlflowKeys)}: keep one.`, '$');
  const key = mlflowKeys[0]!;
  dropKeys([key]);
  const v = json.get(key)!;
  const base = `$.${key}`;
  if (key === 'dataframe_split') {
    if (!isPyDict(v)) throw new ConvertError('invalid-split', 'dataframe_split must be an object {"columns": [...], "data": [...]}.', base);
    return { from: key, data: { kind: 'frame', table: splitTable(v, base, ctx) }, params };
  }
  if (key === 'dataframe_records') {
    if (!Array.isArray(v)) throw new ConvertError('invalid-records', 'dataframe_records must be a list of records [{"column": value, ...}, ...].', base);
    return { from: key, data: { kind: 'frame', table: recordsTable(v, base, ctx) }, params };
  }
  // instances / inputs (§3): a dict is named inputs, a list of records is rows, anything else a tensor
  if (isPyDict(v)) return { from: key, data: { kind: 'named', items: v, path: base }, params };
  if (Array.isArray(v) && v.length > 0 && v.every((r) => isPyDict(r))) return { from: key, data: { kind: 'frame', table: recordsTable(v, base, ctx) }, params };
  return { from: key, data: { kind: 'tensor', value: v, path: base }, params };
}

/** A split object `{columns?, index?, data}` (payloads.md §3 `dataframe_split`, §4 Azure split). */
function splitTable(split: PyDict, base: string, ctx: Ctx): Table {
  const extra = [...split.keys()].filter((k) => !SPLIT_KEYS.includes(k));
  if (extra.length) throw new ConvertError('invalid-split', `A split frame has only "columns", "index" and "data"; this one also has ${pyRepr(extra)}.`, pathKey(base, extra[0]!));
  if (!split.has('data')) throw new ConvertError('invalid-split', 'A split frame needs "data": a list of rows.', base);
  const columns = split.get('columns');
  const index = split.get('index');
  if (columns !== undefined && columns !== null && !Array.isArray(columns)) throw new ConvertError('invalid-split', '"columns" must be a list of column names.', pathKey(base, 'columns'));
  if (index !== undefined && index !== null && !Array.isArray(index)) throw new ConvertError('invalid-split', '"index" must be a list of row labels.', pathKey(base, 'index'));
  const labels = Array.isArray(columns) ? columns : null;
  const data = split.get('data')!;
  const dataPath = pathKey(base, 'data');
  let table: Table;
  if (isPyDict(data)) table = namedTable(data, dataPath, ctx);
  else if (!Array.isArray(data)) throw new ConvertError('invalid-split', '"data" must be a list of rows.', dataPath);
  else if (data.length > 0 && data.every((r) => isPyDict(r))) table = recordsTable(data, dataPath, ctx, labels);
  else if (data.length > 0 && data.every((r) => !Array.isArray(r) && !isPyDict(r))) table = { labels: null, index: null, rows: data.map((x) => [x]), rowPath: (r) => `${dataPath}[${r}]` };
  else {
    const bad = data.findIndex((r) => !Array.isArray(r));
    if (bad >= 0) throw new ConvertError('invalid-split', `Row ${bad} of "data" is not a list: every row must be a list of cells.`, `${dataPath}[${bad}]`);
    const width = widestRow(data as PyValue[][]);
    const rows = (data as PyValue[][]).map((r, k) => {
      if (r.length === width) return r;
      ctx.sink.add('row-padded', `Row ${k} has ${r.length} cells where the frame has ${width} columns: the missing cells become null.`, `${dataPath}[${k}]`);
      return [...r, ...new Array<PyValue>(width - r.length).fill(null)];
    });
    table = { labels: null, index: null, rows, rowPath: (r) => `${dataPath}[${r}]` };
  }
  if (labels) {
    const width = table.rows[0]?.length ?? labels.length;
    if (table.labels === null && table.rows.length > 0 && width !== labels.length)
      throw new ConvertError('invalid-split', `"columns" names ${labels.length} columns but the rows have ${width} cells.`, pathKey(base, 'columns'));
    table.labels = table.labels ?? labels;
  }
  if (Array.isArray(index)) {
    if (index.length !== table.rows.length && !(table.rows.length === 1 && index.length > 1))
      throw new ConvertError('invalid-split', `"index" has ${index.length} labels for ${table.rows.length} rows.`, pathKey(base, 'index'));
    if (index.length > table.rows.length) {
      // payloads.md §10: one row with a longer index is broadcast; written out so every form says the same
      ctx.sink.add('index-broadcast', `One data row with ${index.length} index labels: pandas repeats the row, so the converted body has ${index.length} identical rows.`, pathKey(base, 'index'));
      table.rows = index.map(() => table.rows[0]!.slice());
    }
    table.index = index;
  }
  return table;
}

/** Records `[{col: value}]`: columns in first-seen order, a missing key becomes null (pandas: NaN, §3). */
function recordsTable(list: PyValue[], base: string, ctx: Ctx, only: PyValue[] | null = null): Table {
  const order: string[] = [];
  const seen = new Set<string>();
  list.forEach((r, k) => {
    if (!isPyDict(r)) throw new ConvertError('invalid-records', `Record ${k} is ${pyTypeText(r)}, not an object: every record must be {"column": value, ...}.`, `${base}[${k}]`);
    for (const key of r.keys()) if (!seen.has(key)) { seen.add(key); order.push(key); }
  });
  const labels: PyValue[] = only ?? order;
  const keys = labels.map((l) => pyStr(l));
  const rows = (list as PyDict[]).map((r, k) =>
    keys.map((key) => {
      const v = r.get(key);
      if (v !== undefined) return v;
      ctx.sink.add('record-missing-key', `Record ${k} has no '${key}': it becomes null (pandas fills NaN there, §3).`, `${base}[${k}]`);
      return null;
    }),
  );
  return { labels, index: null, rows, rowPath: (r) => `${base}[${r}]` };
}

/** `{name: values}` as a frame: equal-length lists are columns, all scalars one row (MLflow's `inputs`, §3). */
function namedTable(items: PyDict, base: string, ctx: Ctx): Table {
  const keys = [...items.keys()];
  const vals = [...items.values()];
  const lens = vals.map((v) => (Array.isArray(v) ? v.length : -1));
  const listLens = [...new Set(lens.filter((l) => l >= 0))];
  if (listLens.length > 1)
    throw new ConvertError(
      'not-convertible',
      `The named inputs have different lengths (${keys.map((k, i) => `${k}: ${lens[i]! < 0 ? 'scalar' : lens[i]}`).join(', ')}), so they are not the columns of one table; convert to inputs, instances or azureml instead.`,
      base,
    );
  const n = listLens.length === 0 ? 1 : listLens[0]!;
  if (listLens.length === 1)
    keys.forEach((k, i) => {
      if (lens[i]! < 0) ctx.sink.add('scalar-broadcast', `'${k}' is a single value beside lists of ${n}: pandas repeats it on every row, and so does the converted body.`, pathKey(base, k));
    });
  const rows: PyValue[][] = Array.from({ length: n }, (_, r) => vals.map((v) => (Array.isArray(v) ? v[r]! : v)));
  // a cell is the column's item r, or the column itself when it is one value (repeated on every row)
  const cellPath = (r: number, c: number): string => (lens[c]! < 0 ? pathKey(base, keys[c]!) : `${pathKey(base, keys[c]!)}[${r}]`);
  return { labels: keys, index: null, rows, rowPath: (r) => `${base}[${r}]`, cellPath };
}

/** A column as pandas typed it, as the JSON values that carry the same Python values (NaN → null, integral floats keep `.0`). */
function typedToPy({ dtype, values }: TypedColumn): PyValue[] {
  const float = dtype.startsWith('float');
  return values.map((v): PyValue => {
    if (typeof v === 'number') return Number.isNaN(v) ? null : float && Number.isInteger(v) ? new PyFloat(v) : v;
    return typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint' ? v : String(v);
  });
}

const TEXT_TYPES: ReadonlySet<string> = new Set(['string', 'binary', 'datetime']);

/** The signature's spec of CSV column `k` named `name`: by name, or by position when every column is unnamed. */
function csvSpec(sig: Signature | null, name: string, k: number): ColumnSpec | undefined {
  if (sig?.inputs?.kind !== 'columns') return undefined;
  const specs = sig.inputs.columns;
  const index = specsByName(specs);
  // every column unnamed: the index holds null alone (or nothing)
  const unnamed = index.size === 0 || (index.size === 1 && index.has(null));
  return index.get(name) ?? (unnamed ? specs[k] : undefined);
}

/** pandas' read_csv refusals in the converter's terms (what, where, and how to fix). */
function csvReadError(e: PyError): ConvertError {
  const ragged = /Expected (\d+) fields in line (\d+), saw (\d+)/.exec(e.message);
  if (ragged)
    return new ConvertError('csv-ragged', `CSV line ${ragged[2]} has ${ragged[3]} fields, but pandas expects ${ragged[1]} (as many as the first data line): read_csv refuses the body. Remove the extra fields or quote the ones holding commas.`, `csv line ${ragged[2]}`);
  if (e.pyType === 'EmptyDataError') return new ConvertError('csv-empty', 'The CSV body is empty: it needs a header line with the column names.', null);
  const open = /EOF inside string starting at row (\d+)/.exec(e.message);
  if (open) return new ConvertError('csv-unclosed-quote', `A quoted field opened on CSV line ${Number(open[1]) + 1} is never closed: read_csv refuses the body (${e.message}). Close the quote.`, `csv line ${Number(open[1]) + 1}`);
  return new ConvertError('csv-unreadable', `pandas cannot read this CSV: ${e.pyType}: ${e.message}`, null);
}

/**
 * A `text/csv` body as a frame, read as the servers read it (`readCsvColumns`, pandas 1.5's C parser: NA
 * spellings, int64 → uint64 → float64 → bool → text per column, the inf spellings, a BOM, repeated names, leading
 * index fields). Columns the signature types as string/binary/datetime stay text (NA spellings still NaN).
 */
function csvToTable(text: string, ctx: Ctx): Table {
  let read: CsvColumns;
  try {
    read = readCsvColumns(text, (name, k) => (TEXT_TYPES.has(csvSpec(ctx.sig, name, k)?.type.type ?? '') ? 'object' : null));
  } catch (e) {
    if (e instanceof PyError) throw csvReadError(e);
    throw e;
  }
  const cols = read.columns.map(typedToPy);
  const levels = read.levels.map(typedToPy);
  const rows = Array.from({ length: read.nrows }, (_, r) => cols.map((col) => col[r]!));
  const index = levels.length === 0 ? null : levels.length === 1 ? levels[0]! : Array.from({ length: read.nrows }, (_, r) => levels.map((l) => l[r]!));
  return { labels: read.header, index, rows, rowPath: (r) => `csv line ${r + 2}` };
}

const pyTypeText = (v: PyValue): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : isPyDict(v) ? 'an object' : typeof v === 'string' ? 'a string' : typeof v === 'boolean' ? 'a boolean' : 'a number');

// ---- shapes ----------------------------------------------------------------------------------------

type SigShape = 'columns' | 'named-columns' | 'tensor' | 'named-tensors' | 'none';

function sigShape(sig: Signature | null): SigShape {
  const s = sig?.inputs ?? null;
  if (!s) return 'none';
  if (s.kind === 'columns') return s.columns.every((c) => c.name !== null) ? 'named-columns' : 'columns';
  return s.tensors.length === 1 && s.tensors[0]!.name === null ? 'tensor' : 'named-tensors';
}

const namedColumns = (sig: Signature | null): ColumnSpec[] | null =>
  sig?.inputs?.kind === 'columns' && sig.inputs.columns.every((c) => c.name !== null) ? sig.inputs.columns : null;

/** Any data as a frame; tensors take their column names from the signature when it has them. */
function toTable(data: Data, ctx: Ctx): Table {
  if (data.kind === 'frame') return data.table;
  if (data.kind === 'named') return namedTable(data.items, data.path, ctx);
  const v = data.value;
  const rowPath = (r: number): string => `${data.path}[${r}]`;
  let rows: PyValue[][];
  if (!Array.isArray(v)) rows = [[v]];
  else if (v.every((x) => !Array.isArray(x))) rows = v.map((x) => [x]);
  else {
    const bad = v.findIndex((x) => !Array.isArray(x));
    if (bad >= 0) throw new ConvertError('not-convertible', `Item ${bad} of the tensor is not a list while others are: a ragged tensor has no table form.`, rowPath(bad));
    if ((v as PyValue[][]).some((r) => r.some((x) => Array.isArray(x))))
      throw new ConvertError('not-convertible', 'The tensor has more than 2 dimensions, so it has no table form: convert it to inputs, instances or azureml instead.', data.path);
    const width = widestRow(v as PyValue[][]);
    if ((v as PyValue[][]).some((r) => r.length !== width)) throw new ConvertError('not-convertible', 'The tensor rows have different lengths, so it has no table form.', data.path);
    rows = v as PyValue[][];
  }
  const width = rows[0]?.length ?? 0;
  const named = namedColumns(ctx.sig);
  let labels: PyValue[] | null = null;
  if (named && named.length === width) {
    labels = named.map((c) => c.name!);
    ctx.notes.push(`The tensor's ${width} columns are named from the signature: ${pyRepr(labels)}.`);
  } else if (named) {
    ctx.sink.add('tensor-columns-unnamed', `The tensor has ${width} columns but the signature names ${named.length}: the columns are left unnamed (0..${width - 1}), and MLflow will report the named columns missing.`, data.path);
  } else if (sigShape(ctx.sig) === 'none') {
    ctx.sink.add('tensor-columns-unnamed', `A tensor has no column names and there is no signature to take them from: the columns are 0..${width - 1}. Pass --model to name them.`, data.path);
  }
  return { labels, index: null, rows, rowPath };
}

/** Column labels for a target that needs names (records keys, CSV header, dict keys). */
function labelStrings(t: Table, ctx: Ctx, what: string): string[] {
  const width = t.rows[0]?.length ?? t.labels?.length ?? 0;
  if (t.labels === null) {
    const named = namedColumns(ctx.sig);
    if (named && named.length === width) {
      ctx.notes.push(`The unnamed columns are named from the signature: ${pyRepr(named.map((c) => c.name))}.`);
      return named.map((c) => c.name!);
    }
    ctx.sink.add('columns-named-by-position', `The frame has no column names; ${what} needs them, so they are "0".."${width - 1}" (text, where pandas had the integers 0..${width - 1}).`, '$');
    return Array.from({ length: width }, (_, k) => String(k));
  }
  const out = t.labels.map((l) => pyStr(l));
  t.labels.forEach((l, k) => {
    if (typeof l !== 'string') ctx.sink.add('column-label-stringified', `Column label ${pyRepr(l)} is not text; ${what} writes it as "${out[k]}", which pandas reads as a different label.`, '$');
  });
  if (new Set(out).size !== out.length) throw new ConvertError('not-convertible', `Column names repeat (${pyRepr(out)}): ${what} cannot hold the same name twice.`, '$');
  return out;
}

const columnOf = (t: Table, c: number): PyValue[] => t.rows.map((r) => r[c]!);

function tableToDict(t: Table, ctx: Ctx, what: string): PyDict {
  const names = labelStrings(t, ctx, what);
  return new Map(names.map((n, c) => [n, columnOf(t, c)]));
}

function tableToRecords(t: Table, ctx: Ctx, what: string): PyValue[] {
  const names = labelStrings(t, ctx, what);
  return t.rows.map((r) => new Map(names.map((n, c) => [n, r[c]!])) as PyValue);
}

/** Split object with `columns` when named (or when `force`), `index` when given (or when `force`). */
function tableToSplit(t: Table, ctx: Ctx, force: boolean): PyDict {
  const out: PyDict = new Map();
  const width = t.rows[0]?.length ?? t.labels?.length ?? 0;
  let labels = t.labels;
  if (labels === null) {
    const named = namedColumns(ctx.sig);
    if (named && named.length === width) {
      labels = named.map((c) => c.name!);
      ctx.notes.push(`The body named no columns (pandas would use 0..${width - 1}); they are named from the signature: ${pyRepr(labels)}.`);
    } else if (force) labels = Array.from({ length: width }, (_, k) => k);
  }
  if (labels !== null) out.set('columns', labels);
  if (t.index !== null) out.set('index', t.index);
  else if (force) out.set('index', Array.from({ length: t.rows.length }, (_, k) => k));
  out.set('data', t.rows);
  return out;
}

/** Named inputs as rows of records (`instances`), when every value is a list of one length. */
function namedToInstances(items: PyDict): PyValue | null {
  const vals = [...items.values()];
  if (vals.length === 0 || !vals.every((v) => Array.isArray(v))) return null;
  const n = (vals[0] as PyValue[]).length;
  if (!vals.every((v) => (v as PyValue[]).length === n)) return null;
  const keys = [...items.keys()];
  return Array.from({ length: n }, (_, r) => new Map(keys.map((k, i) => [k, (vals[i] as PyValue[])[r]!])) as PyValue);
}

/** 1-D tensor spec with a one-column table: the flat column, else the row matrix. */
function matrixFor(t: Table, ctx: Ctx): PyValue {
  const spec = ctx.sig?.inputs?.kind === 'tensors' ? ctx.sig.inputs.tensors[0] : undefined;
  if (spec && spec.shape.length === 1 && (t.rows[0]?.length ?? 0) === 1) return columnOf(t, 0);
  return t.rows;
}

// ---- writing ---------------------------------------------------------------------------------------

function envelope(key: string, value: PyValue, params: PyValue | undefined): string {
  const out: PyDict = new Map([[key, value]]);
  if (params !== undefined) out.set('params', params);
  return dumpPyJson(out);
}

const JSON_CT = 'application/json';
/** The content types that make a 1.x server read the body with that orient (S1 1.x `transformation`, docs/fidelity.md §15). */
export const MLFLOW1_SPLIT_CT = 'application/json; format=pandas-split';
export const MLFLOW1_RECORDS_CT = 'application/json; format=pandas-records';

/** "MLflow 1.28.0 (the model's pin)": which server the MLflow forms are written for, and why. */
function serverText(v: EmulatedVersion): string {
  const why = v.source === 'override' ? 'the version you chose' : v.source === 'default' ? 'no model or --mlflow-version names another' : "the model's pin";
  return `MLflow ${v.version} (${why})`;
}

/** What the MLflow server the forms are for makes of the target form, when it cannot read it. */
function checkTargetForVersion(to: ConvertTarget, ctx: Ctx): void {
  const v = ctx.mlflow;
  if (speaksMlflow1(v) && MLFLOW2_TARGETS.has(to))
    ctx.sink.add(
      'form-not-read-by-version',
      `${serverText(v)} speaks the pre-2.0 protocol: it reads "${to}" as a pandas split table with an unknown key and refuses the body (400 "Failed to parse input as a Pandas DataFrame…"). For that server write it as mlflow1_split or mlflow1_records; keep "${to}" for a 2.x server.`,
      '$',
    );
  if (!speaksMlflow1(v) && MLFLOW1_TARGETS.has(to))
    ctx.sink.add(
      'form-not-read-by-version',
      `${serverText(v)} does not read bare pandas bodies: since 2.0 the server needs an envelope such as "dataframe_split" (payloads.md §3). This body is for an MLflow 1.x server.`,
      '$',
    );
}

/** 1.x bodies carry no params: the split/records readers take the table alone, TF serving refuses any other key. */
function dropParams1x(params: PyValue | undefined, to: ConvertTarget, ctx: Ctx): void {
  if (params === undefined) return;
  const why = to === 'instances' || to === 'inputs'
    ? `its TF-serving reader refuses any key beside "${to}" ("One of "instances" and "inputs" must be specified (not both or any other keys)")`
    : 'its pandas reader takes the table alone and fails on any other key';
  ctx.sink.add('params-dropped', `${serverText(ctx.mlflow)} takes no params (they came with 2.6): ${why}, so they are left out and the model uses its defaults.`, '$.params');
}

function writeTarget(src: Source, to: ConvertTarget, ctx: Ctx): { body: string; contentType: string } {
  const { data } = src;
  let params = src.params;
  const shape = sigShape(ctx.sig);
  checkTargetForVersion(to, ctx);
  // the 1.x forms carry no params; TF serving and CSV are read by both generations, without params by 1.x
  if (MLFLOW1_TARGETS.has(to) || (speaksMlflow1(ctx.mlflow) && (to === 'instances' || to === 'inputs'))) {
    dropParams1x(params, to, ctx);
    params = undefined;
  }
  switch (to) {
    case 'mlflow1_split':
      return { body: dumpPyJson(tableToSplit(toTable(data, ctx), ctx, false)), contentType: MLFLOW1_SPLIT_CT };
    case 'mlflow1_records': {
      const t = toTable(data, ctx);
      if (t.index !== null && !isDefaultIndex(t.index)) ctx.sink.add('index-dropped', 'Records carry no index: the row labels of "index" are left out (the model never sees them).', '$');
      return { body: dumpPyJson(tableToRecords(t, ctx, 'a list of records')), contentType: MLFLOW1_RECORDS_CT };
    }
    case 'dataframe_split':
      return { body: envelope('dataframe_split', tableToSplit(toTable(data, ctx), ctx, false), params), contentType: JSON_CT };
    case 'dataframe_records': {
      const t = toTable(data, ctx);
      if (t.index !== null && !isDefaultIndex(t.index)) ctx.sink.add('index-dropped', 'Records carry no index: the row labels of "index" are left out (the model never sees them).', '$');
      return { body: envelope('dataframe_records', tableToRecords(t, ctx, 'dataframe_records'), params), contentType: JSON_CT };
    }
    case 'csv':
      return { body: tableToCsv(toTable(data, ctx), ctx, params), contentType: 'text/csv' };
    case 'inputs':
    case 'instances': {
      let value: PyValue;
      if (data.kind === 'tensor') value = data.value;
      else if (data.kind === 'named') value = to === 'instances' ? (namedToInstances(data.items) ?? data.items) : data.items;
      else if (shape === 'tensor' || (shape === 'none' && data.table.labels === null)) value = matrixFor(data.table, ctx);
      else {
        if (shape === 'none')
          ctx.sink.add('input-kind-changes', `Without a signature MLflow hands the model what "${to}" holds — ${to === 'instances' ? 'a dict of arrays built from the records' : 'a dict of arrays'} — not the DataFrame the original body made.`, '$');
        value = to === 'instances' ? tableToRecords(data.table, ctx, to) : tableToDict(data.table, ctx, to);
      }
      return { body: envelope(to, value, params), contentType: JSON_CT };
    }
    case 'azureml': {
      let value: PyValue;
      if (shape === 'named-columns' || shape === 'columns' || (shape === 'none' && data.kind === 'frame')) value = tableToSplit(toTable(data, ctx), ctx, true);
      else if (data.kind === 'tensor') {
        if (shape === 'named-tensors') {
          const specs = ctx.sig!.inputs!.kind === 'tensors' ? ctx.sig!.inputs!.tensors : [];
          if (specs.length !== 1) throw new ConvertError('not-convertible', `The signature has ${specs.length} named tensors but the body holds one unnamed tensor: name its parts ({"input_data": {"name": [...]}}).`, data.path);
          ctx.notes.push(`The tensor is sent under the signature's name '${specs[0]!.name}'.`);
          value = new Map([[specs[0]!.name!, data.value]]);
        } else value = data.value;
      } else if (data.kind === 'named') {
        if (shape === 'tensor' && data.items.size === 1) {
          ctx.notes.push(`The signature has one unnamed tensor: the value of '${[...data.items.keys()][0]}' is sent as a plain list.`);
          value = [...data.items.values()][0]!;
        } else value = data.items;
      } else value = shape === 'tensor' ? matrixFor(data.table, ctx) : tableToDict(data.table, ctx, 'named tensors');
      if (!isPyDict(params) && params !== undefined && params !== null)
        ctx.sink.add('params-not-a-dict', 'params is not an object; Azure hands it to MLflow, which refuses it ("Parameters must be a dictionary").', '$.params');
      return { body: envelope('input_data', value, params), contentType: JSON_CT };
    }
  }
}

const isDefaultIndex = (index: PyValue[]): boolean => index.every((x, k) => x === k);

// ---- CSV -------------------------------------------------------------------------------------------

/** Python float text for CSV (what `to_csv` writes; inf/nan as pandas writes them). */
function numberText(v: number | PyFloat | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (Number.isNaN(v)) return '';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
}

const quoteCsv = (s: string): string => (/[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s);

/** A cell's CSV field before quoting: what `to_csv` writes for it (nested values as their JSON text). */
function csvToken(v: PyValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof PyFloat) return numberText(v);
  return typeof v === 'string' ? v : dumpPyJson(v);
}

/** Whether pandas' reading of a written cell is the value the cell held (an int read into a float column is: JSON bodies upcast the same way). */
function sameCell(cell: PyValue, back: PyValue): boolean {
  if (cell === null || typeof cell === 'string' || typeof cell === 'boolean') return cell === back;
  const num = (x: PyValue): number | bigint | null => (typeof x === 'number' || typeof x === 'bigint' ? x : x instanceof PyFloat ? x.value : null);
  const a = num(cell), b = num(back);
  if (a === null || b === null) return false;
  if (typeof a === 'bigint' || typeof b === 'bigint') return Number.isInteger(Number(a)) && Number.isInteger(Number(b)) && BigInt(a) === BigInt(b);
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

const readAs = (back: PyValue): string =>
  back === null ? 'a missing value (NaN)' : typeof back === 'boolean' ? 'a boolean' : typeof back === 'string' ? `the text ${pyRepr(back)}` : `the number ${csvToken(back)}`;

/**
 * The first cell of column `c` that `read_csv` (the servers' reader, `inferCsvColumn`) would not read back as it
 * was: a text read as a number, a boolean or NaN, a number or boolean in a column of text read as text, a
 * float pandas' parser rounds otherwise. Text columns of the signature keep text: only the NA spellings change there.
 */
function csvTypeLoss(cells: PyValue[], tokens: string[], textual: boolean): { row: number; what: string } | null {
  if (textual) {
    const r = cells.findIndex((v) => typeof v === 'string' && PANDAS_NA_VALUES.has(v));
    return r < 0 ? null : { row: r, what: `the text ${pyRepr(cells[r]!)} is read back by pandas as a missing value (NaN)` };
  }
  const back = typedToPy(inferCsvColumn(tokens));
  for (let r = 0; r < cells.length; r++) {
    const v = cells[r]!;
    if (Array.isArray(v) || isPyDict(v) || sameCell(v, back[r]!)) continue;
    if (typeof v === 'string') return { row: r, what: `the text ${pyRepr(v)} is read back by pandas as ${readAs(back[r]!)} (no signature says this column is text)` };
    const kind = typeof v === 'boolean' ? 'boolean' : 'number';
    const why = typeof back[r] !== 'string' ? "pandas' CSV float parser is not correctly rounded past 15 digits"
      : cells.some((x) => typeof x === 'string') ? 'the column holds text too'
        : cells.some((x) => typeof x === 'bigint' && (x < -(2n ** 63n) || x >= 2n ** 64n || (x >= 2n ** 63n && cells.some((y) => typeof y === 'bigint' ? y < 0n : typeof y === 'number' && y < 0))))
          ? 'an integer in the column is past the 64-bit range, so pandas reads the column as text'
          : cells.some((x) => typeof x === 'boolean') ? 'the column mixes booleans and numbers, so pandas reads it as text' : 'pandas reads this column as text';
    return { row: r, what: `the ${kind} ${csvToken(v)} is read back by pandas as ${readAs(back[r]!)} (${why})` };
  }
  return null;
}

/**
 * `DataFrame.to_csv(index=False)`-like text. What CSV cannot carry is reported (payloads.md §2.1 CSV:
 * no params, no nested values, every field is text that `read_csv` types again — checked with the servers' reader).
 */
function tableToCsv(t: Table, ctx: Ctx, params: PyValue | undefined): string {
  const names = labelStrings(t, ctx, 'a CSV header');
  if (params !== undefined && params !== null)
    ctx.sink.add('csv-drops-params', 'CSV bodies cannot carry params (payloads.md §2.1): they are left out, so the model gets its defaults.', '$.params');
  if (t.index !== null && !isDefaultIndex(t.index)) ctx.sink.add('index-dropped', 'CSV carries no index: the row labels of "index" are left out.', '$');
  const tokens = t.rows.map((row) => row.map(csvToken));
  names.forEach((name, c) => {
    const cells = t.rows.map((row) => row[c] ?? null);
    t.rows.forEach((row, r) => {
      const v = row[c];
      if (Array.isArray(v) || isPyDict(v))
        ctx.sink.add('csv-nested-value', `Column '${name}' row ${r}: ${Array.isArray(v) ? 'a list' : 'an object'} has no CSV form; it is written as its JSON text, which the model receives as a string.`, t.cellPath?.(r, c) ?? t.rowPath(r));
    });
    const textual = TEXT_TYPES.has(csvSpec(ctx.sig, name, c)?.type.type ?? '');
    const lost = csvTypeLoss(cells, t.rows.map((_, r) => tokens[r]![c] ?? ''), textual);
    if (lost) ctx.sink.add('csv-type-lost', `Column '${name}' row ${lost.row}: ${lost.what}.`, t.cellPath?.(lost.row, c) ?? t.rowPath(lost.row));
  });
  // a lone empty field would be a blank line, which read_csv skips: quote it so the row survives
  const lines = [names.map(quoteCsv).join(','), ...t.rows.map((row, r) => (row.length === 1 && row[0] === null ? '""' : tokens[r]!.map((tok, c) => (typeof row[c] === 'string' || Array.isArray(row[c]) || isPyDict(row[c]) ? quoteCsv(tok) : tok)).join(',')))];
  return lines.join('\n') + '\n';
}
