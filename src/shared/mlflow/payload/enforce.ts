/**
 * MLflow's in-process enforcement (`pyfunc.predict` → `_enforce_schema`, `_enforce_params_schema`),
 * payloads.md §2.2–2.5, plus the serving pre-cast of §2.1 (`cast_df_types_according_to_schema`).
 * Failures throw `MlflowErr` with MLflow's inner message and its error code (null when MLflow raises
 * without one, which 2.7-era servers answer with 500).
 */
import type { ColType, ColumnSpec, ParamSpec, Schema, TensorSpec } from '../model-report';
import { fromPlain, isPyDict, PyFloat, type PyDict, type PyValue } from './py-json';
import { decodeBase64Lenient } from './cells';
import {
  astypeColumn, boxedItem, frameFromDictOfLists, frameFromRecords, frameFromSingleRow, inferColumn, labelEq, makeColumn, ndarrayFrom,
  normaliseDtype, pyShape, PyError, warnNonStrings, type Cell, type Column, type Frame, type Label, type NdArray,
} from './frame';
import { pyRepr, pySetRepr, pyStr, pyStrRepr, pyTupleRepr, pyTypeName } from './py-repr';
import { type WarningSink } from './warnings';
import type { ModelIn } from './model-input';
import { pandasToNumeric } from './pandas-to-numeric';
import { castErrorUsesRepr, scalarDictIsOneRow, seriesItemZero, stringListDictIsOneRow, twoDimColumnsRefused } from './mlflow-2-3-gates';
import { DATETIME_NO_UNIT, datetimeWithUnit, outOfNsBoundsOf, scalarColumnAsColumnVector, tensorFrameByColumns } from './mlflow-2-0-gates';

export type MlflowCode = 'BAD_REQUEST' | 'INVALID_PARAMETER_VALUE' | 'INTERNAL_ERROR' | null;

export class MlflowErr extends Error {
  constructor(
    message: string,
    readonly code: MlflowCode = null,
  ) {
    super(message);
    this.name = 'MlflowErr';
  }
}

/** The behaviour eras we emulate (payloads.md §10). */
export interface Era {
  /** '2.7' for servers before 2.12, '2.12' for 2.12 and later (including 3.x). */
  era: '2.7' | '2.12';
  /** numeric version, e.g. 2.12 → [2, 12]. */
  major: number;
  minor: number;
  /** Patch level (2.16.1 → 1). Absent means 0: a pin `mlflow==2.16` installs 2.16.0. */
  patch?: number;
}
export const atLeast = (e: Era, major: number, minor: number): boolean => e.major > major || (e.major === major && e.minor >= minor);
/** Full-version comparison, for rules that arrived in a patch release. */
export const atLeastVersion = (e: Era, major: number, minor: number, patch: number): boolean =>
  e.major !== major ? e.major > major : e.minor !== minor ? e.minor > minor : (e.patch ?? 0) >= patch;

/**
 * `_enforce_mlflow_datatype` lets an int64 column through for a float/double column when every value is 0 or 1
 * from MLflow 2.16.1 on: mlflow/mlflow 208c7b9 "Support long conversion to float for 0 and 1 (#13036)", cherry-picked
 * as 08c0239; absent in tag v2.16.0, present in v2.16.1 (docs/fidelity.md).
 */
export const longZeroOneToFloat = (e: Era): boolean => atLeastVersion(e, 2, 16, 1);

/**
 * S2 `_cast_schema_type` from MLflow 2.15.0 on (mlflow/mlflow 9645f37 "Serving input example support (#12710)";
 * absent in tag v2.14.3, present in v2.15.0rc0 / v2.15.0; 2.16.2 verified against the real server, docs/fidelity.md §7):
 * an un-named schema also takes a single value (`np.isscalar`), and a value that is neither dict nor list and fails
 * `convert_data_type` is "Failed to convert data `<v>` to type `<repr(schema.inputs[0])>` defined in the model signature."
 */
export const scalarServingInput = (e: Era): boolean => atLeast(e, 2, 15);

/**
 * ParamSpec's own 2.x messages ("Incompatible types for param …", "Value should be a scalar …", "… received <type>
 * with ndim N") stay through tag v2.17.2 (the newest tag in the mirror; 2.16.2 verified against the real server,
 * docs/fidelity.md §7). The newer "Failed to validate type and shape for …" wording came with
 * mlflow/mlflow#14091 "Dictionary param support" (reviewed 2024-12-20, after 2.19.0): first in 2.20.
 */
export const paramSpecLegacyMessages = (e: Era): boolean => !atLeast(e, 2, 20);

// ---- types ----------------------------------------------------------------------------------------

const SCALAR_PANDAS: Record<string, string> = {
  boolean: 'bool', integer: 'int32', long: 'int64', float: 'float32', double: 'float64', string: 'object', binary: 'object', datetime: 'datetime64[ns]',
};
const SCALAR_NUMPY: Record<string, string> = {
  boolean: 'bool', integer: 'int32', long: 'int64', float: 'float32', double: 'float64', string: 'str', binary: 'bytes', datetime: 'datetime64[ns]',
};
/** The pandas dtype a signature column type maps to (§2.1). */
export const pandasDtypeOf = (t: ColType): string => SCALAR_PANDAS[t.type] ?? 'object';
export const isScalarType = (t: ColType): boolean => t.type in SCALAR_PANDAS;

/** MLflow's repr of a column type (`long`, `Array(long)`, `Map(str -> double)`, `Any`). */
export function colTypeRepr(t: ColType): string {
  switch (t.type) {
    case 'array': return `Array(${colTypeRepr(t.items)})`;
    // Object.__repr__ (2.12.2 types/schema.py): "{" + its properties, sorted by name, as `name: type (required)` + "}"
    case 'object': return `{${Object.entries(t.properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, p]) => `${k}: ${colTypeRepr(p.type)} (${p.required ? 'required' : 'optional'})`).join(', ')}}`;
    case 'map': return `Map(str -> ${colTypeRepr(t.values)})`;
    case 'any': return 'Any';
    default: return t.type;
  }
}

/** `repr(ColSpec)` / `repr(TensorSpec)`: `'a': double (required)`, `Tensor('float64', (-1, 4))`. */
const colSpecRepr = (c: ColumnSpec): string => `${c.name === null ? '' : pyStrRepr(c.name) + ': '}${colTypeRepr(c.type)} (${c.required ? 'required' : 'optional'})`;
const tensorSpecRepr = (t: TensorSpec): string => `${t.name === null ? '' : pyStrRepr(t.name) + ': '}Tensor(${pyStrRepr(t.dtype)}, ${pyTupleRepr(t.shape)})`;

/** `repr(schema.inputs[0])` (`None` for an empty schema). */
export function firstInputRepr(schema: Schema): string {
  const c = schema.kind === 'columns' ? schema.columns[0] : undefined;
  const t = schema.kind === 'tensors' ? schema.tensors[0] : undefined;
  return c ? colSpecRepr(c) : t ? tensorSpecRepr(t) : 'None';
}

/** MLflow's `repr(Schema)`: `['a': double (required), 'b': long (optional)]`. */
export function schemaRepr(schema: Schema): string {
  return '[' + (schema.kind === 'columns' ? schema.columns.map(colSpecRepr) : schema.tensors.map(tensorSpecRepr)).join(', ') + ']';
}

// ---- §2.1 pre-cast of DataFrame payloads -----------------------------------------------------------

/**
 * Each string column name's first position (what `findIndex(c => labelEq(c.name, name))` finds for a string name),
 * and the names that more than one column has.
 */
function nameIndex(columns: readonly { name: Label }[]): { first: Map<string, number>; repeated: Set<string> } {
  const first = new Map<string, number>();
  const repeated = new Set<string>();
  columns.forEach((c, k) => {
    if (typeof c.name !== 'string') return;
    if (first.has(c.name)) repeated.add(c.name);
    else first.set(c.name, k);
  });
  return { first, repeated };
}

/** `findIndex((c) => c.name === label)` as a lookup (a Map finds NaN, which === never does: not a label then). */
function firstIndexOfLabel(columns: readonly { name: Label }[]): (label: Label) => number | undefined {
  const at = new Map<Label, number>();
  columns.forEach((c, k) => {
    if (!at.has(c.name)) at.set(c.name, k);
  });
  return (label) => (typeof label === 'number' && Number.isNaN(label) ? undefined : at.get(label));
}

/**
 * `cast_df_types_according_to_schema`: binary base64-decoded, complex types enforced element-wise, any
 * left alone, everything else `astype`. Errors become MlflowFailedTypeConversion (400 BAD_REQUEST).
 */
export function precastFrame(frame: Frame, schema: Schema, era: Era, sink: WarningSink): Frame {
  const prefix = era.era === '2.12' ? 'Invalid input. ' : '';
  const pairs: { col: number; spec: ColType | { tensor: TensorSpec }; required: boolean; label: string }[] = [];
  if (schema.kind === 'columns') {
    const named = schema.columns.every((c) => c.name !== null);
    if (named) {
      // labelEq(label, a string) is label === that string: one map instead of a scan per spec (quadratic: a
      // 60 000-column signature took 8 s here)
      const { first } = nameIndex(frame.columns);
      for (const spec of schema.columns) {
        const k = first.get(spec.name!);
        if (k !== undefined) pairs.push({ col: k, spec: spec.type, required: spec.required, label: spec.name! });
      }
    } else {
      const n = Math.min(schema.columns.length, frame.columns.length);
      for (let k = 0; k < n; k++) pairs.push({ col: k, spec: schema.columns[k]!.type, required: true, label: pyStr(frame.columns[k]!.name) });
    }
  } else {
    if (schema.tensors.length === 1) {
      frame.columns.forEach((c, k) => pairs.push({ col: k, spec: { tensor: schema.tensors[0]! }, required: true, label: pyStr(c.name) }));
    } else {
      for (const t of schema.tensors) {
        const k = frame.columns.findIndex((c) => labelEq(c.name, t.name));
        if (k >= 0) pairs.push({ col: k, spec: { tensor: t }, required: true, label: t.name ?? '' });
      }
    }
  }
  const columns = frame.columns.slice();
  for (const p of pairs) {
    const col = columns[p.col]!;
    let typeText = '';
    try {
      if ('tensor' in p.spec) {
        const dt = normaliseDtype(p.spec.tensor.dtype);
        typeText = dt;
        // S2 tests `col_type == np.dtype(bytes)` before it looks at the first cell
        if (dt === 'bytes') {
          columns[p.col] = { ...col, dtype: 'object', values: col.values.map((v) => v) };
          continue;
        }
        // list cells: reshaped later in _enforce_schema (`pdf[c][0]` before 2.4, a label lookup; `.iloc[0]` after).
        // A frame with no rows fails here, on the first column of `set(pdf.columns)` (hash order; the frame's is used)
        // (before 2.1 there was no such skip: every tensor column is cast — mlflow-2-0-gates.ts tensorFrameByColumns)
        if (tensorFrameByColumns(era) && Array.isArray(seriesItemZero(frame, col.values, era))) continue;
        columns[p.col] = astypeColumn(col, dt === 'str' ? 'object' : dt, sink);
        continue;
      }
      const t = p.spec;
      typeText = isScalarType(t) ? dtypeClassText(t) : colTypeRepr(t);
      // before 2.2 `np.dtype("datetime64")`, no unit: pandas 1.5 casts only an object column (mlflow-2-0-gates.ts datetimeWithUnit)
      if (t.type === 'datetime' && !datetimeWithUnit(era)) {
        typeText = 'datetime64';
        if (col.dtype !== 'object' && !col.dtype.startsWith('datetime64')) throw new PyError('ValueError', DATETIME_NO_UNIT);
      }
      if (t.type === 'binary') {
        columns[p.col] = {
          ...col,
          dtype: 'object',
          values: col.values.map((v) => {
            if (typeof v !== 'string') throw new PyError('TypeError', 'encoding without a string argument');
            const b = decodeBase64Lenient(v);
            if ('error' in b) throw new PyError('Error', b.error);
            return b;
          }),
        };
      } else if (t.type === 'array' || t.type === 'object' || t.type === 'map') {
        columns[p.col] = { ...col, dtype: 'object', values: seriesItems(col).map((v) => enforceType(v, t, p.required, era) as Cell) };
      } else if (t.type === 'any' || t.type === 'sparkml_vector') {
        // left alone (§2.1)
      } else {
        const c2 = astypeColumn(col, pandasDtypeOf(t), sink);
        if (t.type === 'string') warnNonStrings(c2, sink);
        columns[p.col] = c2;
      }
    } catch (e) {
      // repr(ex) from 2.4.0, str(ex) before (mlflow-2-3-gates.ts castErrorUsesRepr): the text of the ValueError, etc.
      const ex = !castErrorUsesRepr(era) ? (e instanceof Error ? e.message : String(e))
        : e instanceof PyError ? e.repr() : e instanceof MlflowErr ? `MlflowException(${pyRepr(e.message)})` : String(e);
      throw new MlflowErr(`${prefix}Data is not compatible with model signature. Failed to convert column ${p.label} to type '${typeText}'. Error: '${ex}'`, 'BAD_REQUEST');
    }
  }
  return { ...frame, columns };
}

/** How MLflow prints `DataType.to_pandas()` in the conversion message. */
function dtypeClassText(t: ColType): string {
  switch (t.type) {
    // DataType.string / binary carry the builtin `object` as their pandas type (S4): str() is "<class 'object'>"
    case 'string': case 'binary': return "<class 'object'>";
    case 'datetime': return 'datetime64[ns]';
    default: return pandasDtypeOf(t);
  }
}

// ---- §2.2 _enforce_mlflow_datatype ---------------------------------------------------------------

const KIND: Record<string, string> = { bool: 'b', int8: 'i', int16: 'i', int32: 'i', int64: 'i', uint8: 'u', uint16: 'u', uint32: 'u', uint64: 'u', float16: 'f', float32: 'f', float64: 'f', object: 'O', 'datetime64[ns]': 'M' };
const SIZE: Record<string, number> = { bool: 1, int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1, uint16: 2, uint32: 4, uint64: 8, float16: 2, float32: 4, float64: 8 };

export function enforceMlflowDatatype(name: string, col: Column, t: ColType, era: Era): Column {
  let values = col;
  if (col.dtype === 'object' && t.type !== 'binary' && t.type !== 'string') {
    // `values.infer_objects()` infers like `pd.Series(list)`, None included: [1, None] → float64 [1.0, nan];
    // [True, None] and ['a', None] stay object (pandas 1.5.3, run).
    const inf = inferColumn(col.values);
    values = { ...col, dtype: inf.dtype, values: inf.values };
  }
  if (t.type === 'string' && values.dtype === 'object') return values;
  const target = pandasDtypeOf(t);
  if (values.dtype === target || (t.type === 'binary' && values.dtype === 'object')) return values;
  if (t.type === 'datetime' && values.dtype.startsWith('datetime64')) return values;
  if (t.type === 'datetime' && values.dtype === 'object') {
    try {
      return astypeColumn(values, 'datetime64[ns]', null);
    } catch {
      // Before 2.10.0 the message missed its `f` prefix and was printed as written (mlflow 7be9805, #10852).
      throw new MlflowErr(
        atLeast(era, 2, 10) ? `Failed to convert column ${name} from type object to DataType.datetime.` : 'Failed to convert column {name} from type {values.dtype} to {t}.',
      );
    }
  }
  // 2.10.0+ lets an object column through for boolean "otherwise it converts None to boolean False"
  // (mlflow 412b900, #10727); 2.7.1 refuses it below: "Can not safely convert object to bool." (run).
  if (t.type === 'boolean' && values.dtype === 'object' && atLeast(era, 2, 10)) return values;
  if (t.type === 'double' && values.dtype === 'object') return objectToDouble(name, values);
  const numpyType = SCALAR_NUMPY[t.type] ?? 'object';
  const sk = KIND[values.dtype] ?? 'O', tk = KIND[numpyType] ?? 'O';
  const ss = SIZE[values.dtype] ?? 8, ts = SIZE[numpyType] ?? 8;
  let upcast = false;
  if (sk === tk) upcast = ss <= ts;
  else if (sk === 'u' && tk === 'i') upcast = ss < ts;
  else if ((sk === 'i' || sk === 'u') && numpyType === 'float64') upcast = ss <= 6;
  if (upcast && sk !== 'O') return astypeColumn(values, numpyType, null);
  // 2.16.1+: `values.dtype == np.int64 and numpy_type in (np.float32, np.float64) and all(pd.isnull(x) or x in
  // [0, 1] for x in values)` → astype. An int64 column holds no NaN, and `all` of an empty column is True.
  // Before 2.16.1 (2.7.1 and 2.12.2, run: `pd.Series([1, 0])`) int64 is refused whatever the values.
  if (values.dtype === 'int64' && (numpyType === 'float32' || numpyType === 'float64') && longZeroOneToFloat(era) && values.values.every(isZeroOrOne))
    return astypeColumn(values, numpyType, null);
  let hint = '';
  if (values.dtype === 'float64' && (tk === 'i' || tk === 'u') && values.values.some((v) => Number.isNaN(v as number)) && values.values.every((v) => Number.isNaN(v as number) || Number.isInteger(v)))
    hint =
      ' Hint: the type mismatch is likely caused by missing values. Integer columns in python can not represent missing values and are therefore encoded as floats. The best way to avoid this problem is to infer the model schema based on a realistic data sample (training dataset) that includes missing values. Alternatively, you can declare integer columns as doubles (float64) whenever these columns may have missing values. See `Handling Integers With Missing Values <https://www.mlflow.org/docs/latest/models.html#handling-integers-with-missing-values>`_ for more details.';
  throw new MlflowErr(`Incompatible input types for column ${name}. Can not safely convert ${values.dtype} to ${numpyType === 'str' ? '<U0' : numpyType}.${hint}`);
}

const isZeroOrOne = (v: Cell): boolean => v === 0 || v === 1 || v === 0n || v === 1n;

/**
 * S3 `_enforce_mlflow_datatype`'s "decimal → double" branch: `values.dtype == decimal.Decimal` holds for any
 * object column, so it is `pd.to_numeric(values, errors="raise")`, returned as is (an int64 column stays int64).
 * Its ValueError becomes "Failed to convert column …"; its TypeError ("Invalid object type at position 0", a list
 * in the column) escapes as it is (docs/fidelity.md).
 */
function objectToDouble(name: string, col: Column): Column {
  try {
    const r = pandasToNumeric(col.values);
    return { ...col, dtype: r.dtype, values: r.values };
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'ValueError') throw new MlflowErr(`Failed to convert column ${name} from type object to DataType.double.`);
    throw e;
  }
}

// ---- complex types (§2.1 / S3 _enforce_array/_object/_map) ---------------------------------------

/**
 * A column's items as Python sees them when MLflow walks the Series (`for obj in pf_input[x]` in
 * `_enforce_unnamed_col_schema`/`_enforce_named_col_schema`, `pdf[col].map(...)` in the scoring server's
 * cast): pandas boxes a float column's items as Python floats, so 1.0 in a float64 column is a `float` to
 * `_enforce_type` ("…got float"), never the int its JSON text looks like.
 */
function seriesItems(col: Column): PyValue[] {
  if (!col.dtype.startsWith('float')) return col.values as PyValue[];
  return col.values.map((v) => boxedItem(v, col.dtype));
}

const isNoneOrNaN = (v: PyValue): boolean => v === null || (typeof v === 'number' && Number.isNaN(v));

/**
 * Lists that stand for a numpy array (a named tensor's value put in a one-row frame by `pd.DataFrame([dict])`),
 * with that array's dtype. Iterating an ndarray (`_enforce_array`'s `for x in data`) yields its rows as ndarrays
 * and its items as numpy scalars, so MLflow's `type(x).__name__` names them `ndarray`, `float64`, `int64`,
 * `str_`, `bool_` (docs/fidelity.md "Array columns: the type names MLflow prints").
 */
const ndOrigin = new WeakMap<PyValue[], string>();
const NUMPY_SCALAR: Record<string, string> = { bool: 'bool_', float64: 'float64', float32: 'float32', float16: 'float16', int64: 'int64', int32: 'int32', int16: 'int16', int8: 'int8', uint8: 'uint8', uint16: 'uint16', uint32: 'uint32', uint64: 'uint64' };
/** `type(data).__name__` of a value met in `_enforce_type`, `of` the dtype of the ndarray it was taken from. */
function typeNameIn(data: PyValue, of: string | undefined): string {
  if (Array.isArray(data) && ndOrigin.has(data)) return 'ndarray';
  if (of === undefined || data === null || Array.isArray(data) || isPyDict(data)) return pyTypeName(data);
  return /^(<U|str$)/.test(of) ? 'str_' : (NUMPY_SCALAR[of] ?? pyTypeName(data));
}
const isScalarValue = (v: PyValue): boolean => !Array.isArray(v) && !isPyDict(v) && v !== null;

function enforceDatatype(data: PyValue, t: ColType, required: boolean, era: Era, of?: string): PyValue {
  if (!required && isNoneOrNaN(data)) return null;
  if (!isScalarValue(data)) throw new MlflowErr(`Expected data to be scalar, got ${typeNameIn(data, of)}`);
  const col = makeColumn('', [data], () => '$');
  try {
    const out = enforceMlflowDatatype('', col, t, era);
    return boxedItem(out.values[0]!, out.dtype);
  } catch {
    throw new MlflowErr(`Failed to enforce schema of data \`${pyStr(data)}\` with dtype \`${t.type}\``);
  }
}

/** `of`: the dtype of the numpy array `data` is an item of (see `typeNameIn`). */
export function enforceType(data: PyValue, t: ColType, required: boolean, era: Era, of?: string): PyValue {
  switch (t.type) {
    case 'array': {
      if ((!required || t.items.type === 'any') && (data === null || (Array.isArray(data) && data.length === 0))) return data;
      if (!Array.isArray(data)) throw new MlflowErr(`Expected data to be list or numpy array, got ${typeNameIn(data, of)}`);
      const items = ndOrigin.get(data);
      return data.map((x) => enforceType(x, t.items, required, era, items));
    }
    case 'object': {
      if (!required && (data === null || (isPyDict(data) && data.size === 0))) return data;
      if (!isPyDict(data))
        throw new MlflowErr(`Failed to enforce schema of '${pyStr(data)}' with type '${colTypeRepr(t)}'. Expected data to be dictionary, got ${typeNameIn(data, of)}`);
      const props = Object.entries(t.properties);
      const missing = props.filter(([k, p]) => p.required && !data.has(k)).map(([k]) => k);
      if (missing.length) throw new MlflowErr(`Missing required properties: ${pySetRepr(missing)}`);
      const invalid = [...data.keys()].filter((k) => !(k in t.properties));
      if (invalid.length) throw new MlflowErr(`Invalid properties not defined in the schema found: ${pySetRepr(invalid)}`);
      const out: PyDict = new Map();
      for (const [k, v] of data) {
        const p = t.properties[k]!;
        try {
          out.set(k, enforceType(v, p.type, p.required, era));
        } catch (e) {
          if (e instanceof MlflowErr) throw new MlflowErr(`Failed to enforce schema for key \`${k}\`. Expected type ${colTypeRepr(p.type)}, received type ${pyTypeName(v)}`);
          throw e;
        }
      }
      return out;
    }
    case 'map': {
      if ((!required || t.values.type === 'any') && (data === null || (isPyDict(data) && data.size === 0))) return data;
      if (!isPyDict(data)) throw new MlflowErr(`Expected data to be a dict, got ${typeNameIn(data, of)}`);
      const out: PyDict = new Map();
      for (const [k, v] of data) out.set(k, enforceType(v, t.values, required, era));
      return out;
    }
    case 'any':
    case 'sparkml_vector':
      return data;
    default:
      return enforceDatatype(data, t, required, era, of);
  }
}

// ---- §2.3 / §2.4 _enforce_schema -----------------------------------------------------------------

const listOfStrings = (v: ModelIn | undefined): boolean => !!v && v.kind === 'value' && Array.isArray(v.value) && v.value.every((x) => typeof x === 'string');
/** `np.isscalar(x) or x is None` (2.12 `_enforce_schema._is_scalar`): a numpy scalar is one, a 0-d array is not. */
const isScalarIn = (v: ModelIn): boolean => (v.kind === 'value' && !Array.isArray(v.value) && !isPyDict(v.value)) || (v.kind === 'ndarray' && v.scalar === true);

/** ModelIn of a dict → DataFrame the way `_enforce_schema` does for column signatures. */
function dictToFrame(m: { kind: 'dict'; items: Map<string, ModelIn> }, schema: Extract<Schema, { kind: 'columns' }>, era: Era): Frame {
  const complex = schema.columns.some((c) => c.type.type === 'array' || c.type.type === 'object');
  const values = [...m.items.values()];
  const toPy = (v: ModelIn): PyValue => (v.kind === 'value' ? v.value : v.kind === 'ndarray' ? ndToPy(v) : null);
  const dict: PyDict = new Map([...m.items].map(([k, v]) => [k, toPy(v)]));
  if (era.era === '2.12' && (complex || values.every((v) => isScalarIn(v) || listOfStrings(v)))) {
    const row = frameFromSingleRow(dict, '$');
    // pd.DataFrame([{k: numpy scalar}]) keeps each scalar's dtype (np.int32 → an int32 column)
    row.columns.forEach((col, k) => {
      const item = values[k];
      if (item?.kind === 'ndarray' && item.scalar && /^(u?int|float|bool)/.test(item.dtype)) col.dtype = item.dtype;
    });
    return row;
  }
  try {
    // before 2.10: inside the try that adds the "error casting" prefix (mlflow-2-3-gates.ts)
    if (era.era !== '2.12' && ((scalarDictIsOneRow(era) && values.every(isScalarIn)) || (stringListDictIsOneRow(era) && values.every((v) => isScalarIn(v) || listOfStrings(v)))))
      return frameFromSingleRow(dict, '$');
    if (twoDimColumnsRefused(era) && values.some((v) => v.kind === 'ndarray' && v.shape.length > 1)) throw new PyError('ValueError', 'Per-column arrays must each be 1-dimensional');
    // A 0-d object array holding a dict or list (np.array(dict) of a column value) is not list-like to pandas'
    // _extract_index, so it does not size the frame; sanitize_array then takes its item and list()s it (a dict's
    // keys), and require_length_match compares that with the index (pandas 1.5 core/construction.py,
    // internals/construction.py `_homogenize`).
    const itemLists = new Map<string, PyValue[]>();
    m.items.forEach((v, k) => {
      const item = v.kind === 'ndarray' && v.shape.length === 0 && !v.scalar ? dict.get(k) : undefined;
      if (Array.isArray(item) || isPyDict(item)) itemLists.set(k, Array.isArray(item) ? item : [...item.keys()]);
    });
    for (const k of itemLists.keys()) dict.set(k, null);
    const frame = frameFromDictOfLists(dict, null, '$');
    // before 2.2 a datetime64[D] array past the nanosecond range (mlflow-2-0-gates.ts noteOutOfNsBounds)
    for (const v of values) if (outOfNsBoundsOf(v) !== undefined) throw new PyError('OutOfBoundsDatetime', outOfNsBoundsOf(v)!);
    frame.columns.forEach((col, c) => {
      const list = itemLists.get(String(col.name));
      if (list === undefined) return;
      if (list.length !== frame.nrows) throw new PyError('ValueError', `Length of values (${list.length}) does not match length of index (${frame.nrows})`);
      frame.columns[c] = makeColumn(col.name, list, col.path);
    });
    // pd.DataFrame(dict of 1-d ndarrays) keeps each array's dtype (int32, float32, bool …); only string
    // arrays (<U…) become object columns. Re-inferring from the values would turn int32 into int64
    // and refuse what MLflow accepts (docs/fidelity.md, "instances/inputs keep the cast dtype").
    frame.columns.forEach((col, k) => {
      const item = values[k];
      if (item?.kind === 'ndarray' && item.shape.length === 1 && /^(u?int|float|bool)/.test(item.dtype)) col.dtype = item.dtype;
    });
    return frame;
  } catch (e) {
    throw new MlflowErr(`This model contains a column-based signature, which suggests a DataFrame input. There was an error casting the input data to a DataFrame: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function ndToPy(a: NdArray): PyValue {
  const cell = (c: Cell): PyValue => boxedItem(c, a.dtype);
  if (a.shape.length === 0) return cell(a.data[0]!);
  const rec = (off: number, dim: number): PyValue[] => {
    const step = a.shape.slice(dim + 1).reduce((x, y) => x * y, 1);
    const out: PyValue[] =
      dim === a.shape.length - 1 ? a.data.slice(off, off + a.shape[dim]!).map(cell) : Array.from({ length: a.shape[dim]! }, (_, k) => rec(off + k * step, dim + 1));
    ndOrigin.set(out, a.dtype);
    return out;
  };
  return rec(0, 0);
}

function ndToFrame(a: NdArray, era: Era): Frame {
  // pd.DataFrame of a string array (<U…, numpy's `str`) holds an object column
  const dtype = /^(<U|str$)/.test(a.dtype) ? 'object' : a.dtype;
  if (a.shape.length <= 1) return { kind: 'frame', nrows: a.shape[0] ?? 1, columns: [{ name: 0, dtype, values: a.data.slice(), path: (r) => `$[${r}]` }] };
  const [rows, cols] = [a.shape[0]!, a.shape.slice(1).reduce((x, y) => x * y, 1)];
  if (a.shape.length > 2) {
    // pandas' own ValueError. 2.7 builds every frame inside one try that adds the "error casting" prefix; 2.12
    // keeps that try for dicts only and calls `pd.DataFrame(pf_input)` on a list or ndarray unguarded, so
    // pyfunc's wrapper prints pandas' words alone (docs/fidelity.md).
    const text = `Must pass 2-d input. shape=${pyShape(a.shape)}`;
    if (era.era === '2.12') throw new PyError('ValueError', text);
    throw new MlflowErr(`This model contains a column-based signature, which suggests a DataFrame input. There was an error casting the input data to a DataFrame: ${text}`);
  }
  return {
    kind: 'frame', nrows: rows,
    columns: Array.from({ length: cols }, (_, c) => ({ name: c, dtype, values: Array.from({ length: rows }, (_, r) => a.data[r * cols + c]!), path: (r: number) => `$[${r}][${c}]` })),
  };
}

/**
 * `_enforce_schema(pf_input, input_schema)` for what the parser produced. Returns what the model
 * receives; throws MlflowErr with the inner message (the caller wraps it per version).
 */
export function enforceSchema(input: ModelIn, schema: Schema, era: Era, sink: WarningSink): ModelIn {
  if (schema.kind === 'columns') {
    let frame: Frame;
    if (input.kind === 'frame') frame = input;
    else if (input.kind === 'dict') frame = dictToFrame(input, schema, era);
    else if (input.kind === 'ndarray') frame = ndToFrame(input, era);
    else if (Array.isArray(input.value)) {
      const list = input.value;
      // pd.DataFrame([]) has no columns at all (every required input is then missing, none extra).
      frame = list.length === 0 ? { kind: 'frame', nrows: 0, columns: [] } : list.every((x) => isPyDict(x)) ? frameFromRecords(list, '$') : ndToFrame(ndarrayFrom(list, null), era);
      // pd.DataFrame(list of dicts of numpy scalars) keeps their dtype when every row has the key and
      // all share it (a missing key makes NaN → float64, which inference already gives).
      const dts = input.recordDtypes;
      if (dts !== undefined && frame.kind === 'frame')
        for (const col of frame.columns) {
          const dt = typeof col.name === 'string' ? dts[col.name] : undefined;
          if (dt !== undefined && list.every((r) => isPyDict(r) && r.has(col.name as string))) col.dtype = dt;
        }
    } else if (isPyDict(input.value)) {
      frame = dictToFrame({ kind: 'dict', items: new Map([...input.value].map(([k, v]) => [k, { kind: 'value', value: v } as ModelIn])) }, schema, era);
    } else {
      // np.isscalar → pd.DataFrame([x]): one row whose column label is the int 0 (not the string '0')
      const row = frameFromSingleRow(new Map([['0', input.value]]), '$');
      frame = { ...row, columns: row.columns.map((c) => ({ ...c, name: 0 })) };
    }
    return enforceColumns(frame, schema.columns, era, sink);
  }
  return enforceTensors(input, schema.tensors, era);
}

/** Per signature: are all its columns named, required and distinct? (then an exact match needs no search) */
const plainSpecs = new WeakMap<ColumnSpec[], boolean>();
function allRequiredDistinct(specs: ColumnSpec[]): boolean {
  let known = plainSpecs.get(specs);
  if (known === undefined) {
    known = specs.every((c) => c.name !== null && c.required) && new Set(specs.map((c) => c.name)).size === specs.length;
    plainSpecs.set(specs, known);
  }
  return known;
}

/** Exactly the signature's columns, in its order (every spec named, required, distinct): loops, no callbacks per request. */
function exactColumns(frame: Frame, specs: ColumnSpec[]): boolean {
  if (frame.columns.length !== specs.length || !allRequiredDistinct(specs)) return false;
  for (let k = 0; k < specs.length; k++) if (frame.columns[k]!.name !== specs[k]!.name) return false;
  return true;
}

function enforceColumns(frame: Frame, specs: ColumnSpec[], era: Era, sink: WarningSink): Frame {
  // The usual request: exactly the signature's columns, in its order. Nothing can be missing, extra,
  // absent or re-ordered, so the general matching below (quadratic in the column count, run on every
  // request) would only reach the same columns.
  if (exactColumns(frame, specs)) {
    const out: Column[] = [];
    for (let k = 0; k < specs.length; k++) out.push(afterFirstColumn(era, frame, k, enforceOne(specs[k]!.name!, frame.columns[k]!, specs[k]!.type, true, era)));
    return { kind: 'frame', nrows: frame.nrows, columns: out };
  }
  const named = specs.every((c) => c.name !== null);
  if (named) {
    // Every spec name is a string, and labelEq(label, a string) is label === that string: sets and maps below, not a
    // scan of the columns per spec (quadratic: a 60 000-column request took seconds).
    const specNames = new Set(specs.map((c) => c.name!));
    const required = specs.filter((c) => c.required).map((c) => c.name!);
    const actual = frame.columns.map((c) => c.name);
    const { first, repeated } = nameIndex(frame.columns);
    const missing = required.filter((n) => !first.has(n));
    const extra = actual.filter((a) => typeof a !== 'string' || !specNames.has(a));
    if (missing.length) {
      let msg = `Model is missing inputs ${pyRepr(missing)}.`;
      if (extra.length) msg += ` Note that there were extra inputs: ${pyRepr(extra)}${era.major >= 3 ? '.' : ''}`;
      // the first column of each lower-cased name
      const byLower = new Map<string, string>();
      for (const a of actual) if (typeof a === 'string' && !byLower.has(a.toLowerCase())) byLower.set(a.toLowerCase(), a);
      const caseHint = missing.filter((m) => byLower.has(m.toLowerCase()));
      if (caseHint.length) sink.add('column-name-case', `Column names are case-sensitive: the payload has ${caseHint.map((m) => pyRepr(byLower.get(m.toLowerCase()))).join(', ')} but the signature says ${pyRepr(caseHint)}.`, '$');
      throw new MlflowErr(msg);
    }
    if (extra.length) {
      const at = firstIndexOfLabel(frame.columns);
      for (const e of extra) sink.add('extra-column-dropped', `Column ${pyRepr(e)} is not in the signature: MLflow drops it with a log warning only, the model never sees it.`, frame.columns[at(e) ?? -1]?.path(0) ?? '$');
    }
    const out: Column[] = [];
    for (const spec of specs) {
      const k = first.get(spec.name!);
      if (k === undefined) {
        sink.add('optional-column-absent', `Optional column '${spec.name}' is absent: it is simply not passed to the model.`, '$');
        continue;
      }
      // S3 _enforce_named_col_schema: `pf_input[name]` of a repeated label is a DataFrame, and
      // _enforce_mlflow_datatype's first `values.dtype` is an AttributeError (docs/fidelity.md).
      if (isScalarType(spec.type) && repeated.has(spec.name!)) throw new PyError('AttributeError', "'DataFrame' object has no attribute 'dtype'");
      out.push(afterFirstColumn(era, frame, out.length, enforceOne(spec.name!, frame.columns[k]!, spec.type, spec.required, era)));
    }
    const order = frame.columns.filter((c) => typeof c.name === 'string' && specNames.has(c.name)).map((c) => pyStr(c.name));
    const want = out.map((c) => pyStr(c.name));
    if (order.join('\u0000') !== want.join('\u0000')) sink.add('columns-reordered', `Columns are re-ordered to the signature order: ${pyRepr(want)}.`, '$');
    return { kind: 'frame', nrows: frame.nrows, columns: out };
  }
  if (frame.columns.length < specs.length)
    throw new MlflowErr(
      `Model inference is missing inputs. The model signature declares ${specs.length} inputs  but the provided value only has ${frame.columns.length} inputs. Note: the inputs were not named in the signature so we can only verify their count.`,
    );
  if (frame.columns.length > specs.length)
    sink.add('extra-column-dropped', `The signature has ${specs.length} unnamed inputs: only the first ${specs.length} columns are used, the other ${frame.columns.length - specs.length} are dropped.`, '$');
  const out = specs.map((s, k) => afterFirstColumn(era, frame, k, enforceOne(pyStr(frame.columns[k]!.name), frame.columns[k]!, s.type, true, era)));
  return { kind: 'frame', nrows: frame.nrows, columns: out };
}

/**
 * 2.9.0+ (mlflow/mlflow dc070be5d, #10192; S2 `parse_tf_serving_input`'s `cast_schema_type`, 2.7-era path): a
 * single-input named schema no longer wraps a list holding a dict under its one name, so `{"inputs": [{"x": "a"}]}`
 * is "not a dict" → the generic TF-serving 500 (2.8.1 wrapped it and called the model; checked on real 2.8.1 and
 * 2.9.2 servers, docs/fidelity.md §12).
 */
export const singleInputKeepsDictList = (e: Era): boolean => atLeast(e, 2, 9);

/**
 * Before 2.11.0 `_enforce_named_col_schema` and `_enforce_unnamed_col_schema` build their result by
 * `new_pf_input = pd.DataFrame(); new_pf_input[x] = …`: the first assignment (after that column's own enforcement)
 * reindexes the empty frame to the input's index (`_ensure_valid_index` → `get_indexer`), which hashes every row
 * label — a list among flat row labels is `TypeError: unhashable type: 'list'`, unguarded in 2.7 (S1's "unexpected
 * error while evaluating the model"), "Failed to enforce schema of data …" in 2.10. mlflow/mlflow 6dc65b279
 * "Avoid pandas warning in schema enforcement" (#11276, first in v2.11.0) builds `pd.DataFrame(dict)` instead,
 * which accepts it (checked with pandas 1.5.3 against the 2.7.1, 2.10.2 and 2.12.2 trees; docs/fidelity.md §12).
 */
export const emptyFrameAssignment = (e: Era): boolean => !atLeast(e, 2, 11);

function afterFirstColumn(era: Era, frame: Frame, k: number, col: Column): Column {
  if (k !== 0 || !emptyFrameAssignment(era) || frame.index === undefined || frame.index.dtype === 'multi') return col;
  const bad = (frame.index.values as Cell[]).find((v) => Array.isArray(v) || isPyDict(v));
  if (bad !== undefined) throw new PyError('TypeError', `unhashable type: '${pyTypeName(bad as PyValue)}'`);
  return col;
}

function enforceOne(name: string, col: Column, t: ColType, required: boolean, era: Era): Column {
  if (isScalarType(t)) return enforceMlflowDatatype(name, col, t, era);
  if (t.type === 'any' || t.type === 'sparkml_vector') return { ...col, dtype: 'object', values: col.values.map((v) => enforceType(v as PyValue, t, required, era) as Cell) };
  return { ...col, dtype: 'object', values: seriesItems(col).map((v) => enforceType(v, t, required, era) as Cell) };
}

function enforceTensorSpec(a: NdArray, spec: TensorSpec): NdArray {
  const expected = spec.shape;
  const dt = normaliseDtype(spec.dtype);
  if (expected.length === 1 && expected[0] === -1 && dt === 'object') return a;
  if (expected.length > 1 && expected.slice(1).includes(-1) && a.shape.length === 1 && a.dtype === 'object') return a;
  const mismatch = `Shape of input ${pyShape(a.shape)} does not match expected shape ${pyShape(expected)}.`;
  if (expected.length !== a.shape.length) throw new MlflowErr(mismatch);
  expected.forEach((e, k) => {
    if (e !== -1 && e !== a.shape[k]) throw new MlflowErr(mismatch);
  });
  const actual = a.dtype.startsWith('<U') ? 'str' : a.dtype;
  if (actual !== dt) throw new MlflowErr(`dtype of input ${a.dtype} does not match expected dtype ${dt}`);
  return a;
}

/** S3 `_reshape_and_cast_pandas_column_values(name, …)`: an un-named schema passes `None`, printed by its f-strings as 'None'. */
function reshapeColumn(name: string | null, col: Column, spec: TensorSpec, era: Era): NdArray {
  const shape = spec.shape;
  const dt = normaliseDtype(spec.dtype);
  if (shape[0] !== -1 || shape.slice(1).includes(-1))
    throw new MlflowErr(`For pandas dataframe input, the first dimension of shape must be a variable dimension and other dimensions must be fixed, but in model signature the shape of ${name ? 'input ' + name : 'the unnamed input'} is ${pyShape(shape)}.`);
  const first = col.values[0];
  if (!Array.isArray(first)) {
    // (-1, 1) from 2.3.0 on (mlflow-2-0-gates.ts scalarColumnAsColumnVector)
    const columnVector = scalarColumnAsColumnVector(era);
    if (shape.length === 1 || (columnVector && shape.length === 2 && shape[1] === 1)) {
      const arr = ndarrayFrom(col.values as PyValue[], dt);
      return enforceTensorSpec({ ...arr, shape: shape.length === 1 ? [col.values.length] : [col.values.length, 1] }, spec);
    }
    throw new MlflowErr(`The input pandas dataframe column '${pyStr(name)}' contains scalar values, which requires the shape to be ${columnVector ? '(-1,) or (-1, 1)' : '(-1,)'}, but got tensor spec shape of ${pyShape(shape)}.`, 'INVALID_PARAMETER_VALUE');
  }
  const err = `The value in the Input DataFrame column '${pyStr(name)}' could not be converted to the expected shape of: '${pyShape(shape)}'. Ensure that each of the input list elements are of uniform length and that the data can be coerced to the tensor type '${dt}'`;
  try {
    const arr = ndarrayFrom(col.values as PyValue[], dt);
    const per = shape.slice(1).reduce((x, y) => x * y, 1);
    if (arr.data.length % per !== 0 || arr.data.length / per !== col.values.length) throw new Error('reshape');
    return { ...arr, shape: [arr.data.length / per, ...shape.slice(1)] };
  } catch {
    throw new MlflowErr(err, 'INVALID_PARAMETER_VALUE');
  }
}

function pyClassOf(m: ModelIn): string {
  if (m.kind === 'frame') return "<class 'pandas.core.frame.DataFrame'>";
  if (m.kind === 'ndarray') return "<class 'numpy.ndarray'>";
  if (m.kind === 'dict') return "<class 'dict'>";
  return `<class '${pyTypeName(m.value)}'>`;
}

function enforceTensors(input: ModelIn, specs: TensorSpec[], era: Era): ModelIn {
  const named = specs.every((t) => t.name !== null) && specs.length > 0 && specs[0]!.name !== null;
  if (named) {
    const names = specs.map((t) => t.name!);
    // `isinstance(pf_input, dict)`: a parsed dict, or the plain dict the unified LLM keys (2.11+) hand over unparsed
    const actual: Label[] = input.kind === 'frame' ? input.columns.map((c) => c.name) : input.kind === 'dict' ? [...input.items.keys()]
      : input.kind === 'value' && isPyDict(input.value) ? [...input.value.keys()] : [];
    if (input.kind === 'ndarray' && names.length === 1) return { kind: 'dict', items: new Map([[names[0]!, enforceTensorSpec(input, specs[0]!)]]) };
    // S3 `_enforce_schema` (2.7–2.16): actual_cols is empty unless the input is a DataFrame or a dict, so a list,
    // a scalar or an ndarray (with more than one name) is "missing" every input, before _enforce_tensor_schema.
    // tensor names are strings: labelEq(a, name) is a === name (sets, not a scan per name)
    const present = new Set(actual.filter((a): a is string => typeof a === 'string'));
    const missing = names.filter((n) => !present.has(n));
    if (missing.length) {
      const wanted = new Set(names);
      const extra = actual.filter((a) => typeof a !== 'string' || !wanted.has(a));
      let msg = `Model is missing inputs ${pyRepr(missing)}.`;
      if (extra.length) msg += ` Note that there were extra inputs: ${pyRepr(extra)}${era.major >= 3 ? '.' : ''}`;
      throw new MlflowErr(msg);
    }
    const items = new Map<string, ModelIn>();
    if (input.kind === 'dict') {
      for (const spec of specs) {
        const v = input.items.get(spec.name!)!;
        if (v.kind !== 'ndarray')
          throw new MlflowErr(`This model contains a tensor-based model signature with input names, which suggests a dictionary input mapping input name to a numpy array, but a dict with value type ${pyClassOf(v)} was found.`, 'INVALID_PARAMETER_VALUE');
        items.set(spec.name!, enforceTensorSpec(v, spec));
      }
      return { kind: 'dict', items };
    }
    // only a DataFrame is left here (anything else was missing every input above)
    const frame = input as Extract<ModelIn, { kind: 'frame' }>;
    const { first } = nameIndex(frame.columns);
    for (const spec of specs) {
      const col = frame.columns[first.get(spec.name!)!]!;
      // before 2.1: `np.array(pf_input[col_name], dtype=tensor_spec.type)`, then _enforce_tensor_spec (mlflow-2-0-gates.ts)
      const a = tensorFrameByColumns(era) ? reshapeColumn(spec.name, col, spec, era) : enforceTensorSpec({ ...ndarrayFrom(col.values as PyValue[], normaliseDtype(spec.dtype)), shape: [col.values.length] }, spec);
      items.set(spec.name!, a);
    }
    return { kind: 'dict', items };
  }
  const spec = specs[0]!;
  if (input.kind === 'frame') {
    // before 2.1 the whole frame is `pf_input.to_numpy()`, whatever its rows and columns (mlflow-2-0-gates.ts tensorFrameByColumns)
    const byColumns = tensorFrameByColumns(era);
    if (byColumns && (input.nrows === 0 || input.columns.length === 0)) throw new MlflowErr('Input DataFrame is empty.');
    if (byColumns && input.columns.length === 1) return reshapeColumn(null, input.columns[0]!, spec, era);
    const ncols = input.columns.length;
    if (byColumns && (spec.shape.length !== 2 || spec.shape[0] !== -1 || spec.shape[1] !== ncols))
      throw new MlflowErr(
        `This model contains a model signature with an unnamed input. Since the input data is a pandas DataFrame containing multiple columns, the input shape must be of the structure (-1, number_of_dataframe_columns). Instead, the input DataFrame passed had ${ncols} columns and an input shape of ${pyShape(spec.shape)} with all values within the DataFrame of scalar type. Please adjust the passed in DataFrame to match the expected structure`,
        'INVALID_PARAMETER_VALUE',
      );
    const dtypes = new Set(input.columns.map((c) => c.dtype));
    const dtype = dtypes.size === 1 ? [...dtypes][0]! : [...dtypes].every((d) => /int|float/.test(d)) ? 'float64' : 'object';
    const data: Cell[] = [];
    for (let r = 0; r < input.nrows; r++) for (const c of input.columns) data.push(c.values[r]!);
    return enforceTensorSpec({ kind: 'ndarray', dtype, shape: [input.nrows, ncols], data }, spec);
  }
  if (input.kind === 'ndarray') return enforceTensorSpec(input, spec);
  throw new MlflowErr(
    `This model contains a tensor-based model signature with no input names, which suggests a numpy array input or a pandas dataframe input with proper column values, but an input of type ${pyClassOf(input)} was found.`,
    'INVALID_PARAMETER_VALUE',
  );
}

// ---- §2.5 params ----------------------------------------------------------------------------------

const PARAM_CONVERSIONS: Record<string, string[]> = { long: ['integer'], float: ['integer', 'long'], double: ['integer', 'long', 'float'] };

function checkType(dtype: string, v: PyValue): boolean {
  switch (dtype) {
    case 'boolean': return typeof v === 'boolean';
    case 'integer': case 'long': return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'float': case 'double': return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
    case 'string': return typeof v === 'string';
    default: return false;
  }
}

function toPythonType(dtype: string, v: PyValue): PyValue {
  if (dtype === 'float' || dtype === 'double') {
    const x = v instanceof PyFloat ? v.value : typeof v === 'bigint' ? Number(v) : (v as number);
    return Number.isInteger(x) ? new PyFloat(x) : x;
  }
  return v;
}

function enforceParamDatatype(value: PyValue, dtype: string): PyValue {
  if (value === null) return null;
  if (dtype === 'datetime') {
    if (typeof value === 'string') {
      const ok = /^\d{4}-\d{2}-\d{2}/.test(value);
      if (ok) return value;
    }
    throw new MlflowErr(`Failed to convert value \`${pyStr(value)}\` from type \`<class '${pyTypeName(value)}'>\` to \`DataType.datetime\``, 'INVALID_PARAMETER_VALUE');
  }
  if (Array.isArray(value) || isPyDict(value)) throw new MlflowErr(`Value must be a scalar for type \`DataType.${dtype}\`, got \`${pyStr(value)}\``, 'INVALID_PARAMETER_VALUE');
  if (checkType(dtype, value)) return toPythonType(dtype, value);
  if ((PARAM_CONVERSIONS[dtype] ?? []).some((t) => checkType(t, value))) return toPythonType(dtype, value);
  throw new MlflowErr(`Can not safely convert \`<class '${pyTypeName(value)}'>\` to \`DataType.${dtype}\` for value \`${pyStr(value)}\``, 'INVALID_PARAMETER_VALUE');
}

/**
 * S4 `ParamSpec.validate_type_and_shape` from MLflow 2.20 on (mlflow/mlflow cf574a3 "Dictionary param support
 * (#14091)"; unchanged at the 3.6.1.dev0 master, observed on that real server, docs/fidelity.md §13): a `(-1,)` param
 * that is not a list with `np.array(value).ndim == 1` is "Value must be a 1D array … received <type> with ndim N";
 * any error of `_enforce_param_datatype` (scalar, or each item of a list) is "Failed to validate type and shape
 * for <repr(spec)>, error: <e>" — the spec's repr, as the 2.x messages had it.
 */
function validateParam(value: PyValue, spec: ParamSpec): PyValue {
  const repr = paramSpecRepr(spec);
  const wrap = (f: () => PyValue): PyValue => {
    try {
      return f();
    } catch (e) {
      if (e instanceof MlflowErr) throw new MlflowErr(`Failed to validate type and shape for ${repr}, error: ${e.message}`);
      throw e;
    }
  };
  if (spec.type === 'object') {
    // not observed on a real server (no recorded model has an object param): the spec's name as before
    if (value !== null && !isPyDict(value)) throw new MlflowErr(`Failed to validate type and shape for '${spec.name}', error: Expected data to be dictionary, got ${pyTypeName(value)}`);
    return value;
  }
  if (spec.shape === null) return wrap(() => enforceParamDatatype(value, spec.type));
  if (!Array.isArray(value) || paramNdim(value) !== 1)
    throw new MlflowErr(`Value must be a 1D array with shape (-1,) for param ${repr}, received ${jsonTypeName(value)} with ndim ${paramNdim(value)}`);
  return value.map((x) => wrap(() => enforceParamDatatype(x, spec.type)));
}

/** `ParamSpec.__repr__`: `'k': long (default: 1)`, plus ` (shape: (-1,))` for arrays. */
const paramSpecRepr = (spec: ParamSpec): string =>
  `${pyRepr(spec.name)}: ${spec.type} (default: ${pyStr(fromPlain(spec.default))})${spec.shape === null ? '' : ` (shape: (${spec.shape.join(', ')},))`}`;

/** `np.array(value).ndim` of a param value: a list of scalars is 1-D, nested lists deeper, anything else 0-D. */
const paramNdim = (v: PyValue): number => (Array.isArray(v) ? 1 + (v.length > 0 && v.every((x) => Array.isArray(x)) ? paramNdim(v[0]!) : 0) : 0);

/** Python's `type(v).__name__` of a JSON value as ParamSpec sees it (int for every JSON integer). */
const jsonTypeName = (v: PyValue): string => (typeof v === 'bigint' ? 'int' : pyTypeName(v));

/**
 * MLflow 2.7–2.12 `ParamSpec.enforce_param_datatype` (S4): a value is kept when `type(value)` is the dtype's
 * numpy/pandas/python type (int for integer/long, float for float/double, bool, str), int widens to
 * long/float/double and float to double; anything else is "Incompatible types for param <spec repr> with
 * shape None. Can not safely convert <type> to DataType.<dtype>."; a list/dict is "Value should be a scalar".
 */
function enforceParamDatatypeLegacy(name: string, value: PyValue, dtype: string): PyValue {
  if (value === null) return null;
  if (dtype === 'datetime') return enforceParamDatatype(value, dtype);
  if (Array.isArray(value) || isPyDict(value)) throw new MlflowErr(`Value should be a scalar for param ${name}, got ${pyStr(value)}`, 'INVALID_PARAMETER_VALUE');
  const isInt = typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
  const isFloat = value instanceof PyFloat || (typeof value === 'number' && !isInt);
  const kind = typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'string' : isInt ? 'int' : isFloat ? 'float' : 'other';
  const same: Record<string, string> = { boolean: 'boolean', integer: 'int', long: 'int', float: 'float', double: 'float', string: 'string' };
  if (same[dtype] === kind || (kind === 'int' && (dtype === 'float' || dtype === 'double'))) return toPythonType(dtype, value);
  throw new MlflowErr(`Incompatible types for param ${name}. Can not safely convert ${jsonTypeName(value)} to DataType.${dtype}.`, 'INVALID_PARAMETER_VALUE');
}

/** MLflow 2.7–2.12 `ParamSpec.validate_type_and_shape` (S4). */
function validateParamLegacy(value: PyValue, spec: ParamSpec): PyValue {
  const repr = paramSpecRepr(spec);
  if (spec.shape === null) return enforceParamDatatypeLegacy(`${repr} with shape None`, value, spec.type);
  if (!Array.isArray(value) || paramNdim(value) !== 1)
    throw new MlflowErr(`Value must be a 1D array with shape (-1,) for param ${repr}, received ${jsonTypeName(value)} with ndim ${paramNdim(value)}`, 'INVALID_PARAMETER_VALUE');
  return value.map((x) => enforceParamDatatypeLegacy(`${repr} internal values`, x, spec.type));
}

/**
 * `_enforce_params_schema` (§2.5). Returns the full params dict the model gets (defaults filled), `{}`
 * when the model has no params schema but params were sent, or null when neither exists.
 */
export function enforceParams(params: PyValue | undefined, specs: ParamSpec[] | null, sink: WarningSink, era?: Era): PyDict | null {
  // ParamSpec's messages changed in 2.20 (2.7.1, 2.12.2 and 2.16.2 verified against the real servers, docs/fidelity.md).
  const validate = era !== undefined && paramSpecLegacyMessages(era) ? validateParamLegacy : validateParam;
  if (specs === null) {
    if (params === undefined || params === null || (isPyDict(params) && params.size === 0)) return params === undefined || params === null ? null : new Map();
    const info = isPyDict(params) ? `the keys ${pyRepr([...params.keys()])} are` : 'the value (not a dictionary) is';
    sink.add('params-ignored', `The model's signature has no params schema, so MLflow ignores \`params\` with a log warning: ${info} dropped and predict receives {}.`, '$.params');
    return new Map();
  }
  const p: PyValue = params === undefined || params === null ? new Map() : params;
  if (!isPyDict(p)) throw new MlflowErr(`Parameters must be a dictionary. Got type '${pyTypeName(p)}'.`, 'INVALID_PARAMETER_VALUE');
  const allowed = new Set(specs.map((s) => s.name));
  for (const k of p.keys())
    if (!allowed.has(k)) sink.add('param-unknown-dropped', `Param '${k}' is not in the params schema (${[...allowed].join(', ')}): MLflow drops it with a log warning only.`, `$.params.${k}`);
  const out: PyDict = new Map();
  const invalid: [string, string][] = [];
  for (const spec of specs) {
    if (p.has(spec.name)) {
      const v = p.get(spec.name)!;
      if (v === null) sink.add('param-null', `Param '${spec.name}' is null: the model receives None, not the default ${pyRepr(spec.default as PyValue)}.`, `$.params.${spec.name}`);
      try {
        out.set(spec.name, validate(v, spec));
      } catch (e) {
        if (!(e instanceof MlflowErr)) throw e;
        invalid.push([spec.name, e.message]);
      }
    } else out.set(spec.name, fromPlain(spec.default));
  }
  if (invalid.length) throw new MlflowErr(`Invalid parameters found: {${invalid.map(([n, m]) => `(${pyRepr(n)}, ${pyRepr(m)})`).join(', ')}}`, 'INVALID_PARAMETER_VALUE');
  return out;
}
