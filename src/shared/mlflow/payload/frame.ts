/**
 * Just enough pandas/numpy to know what a model receives: DataFrame construction from JSON (dtype
 * inference like `maybe_convert_objects`), `Series.astype` with numpy's casting quirks (payloads.md §2.1),
 * and ndarrays built with `numpy.array(value, dtype=…)` (§2.4). Failures throw `PyError` carrying the
 * Python exception type and text, which the server profiles wrap in their own messages.
 */
import { isPyDict, PyFloat, type PyDict, type PyValue } from './py-json';
import { pyNumberText } from './py-numtext';
import { numpyDatetimeFromStr, pandasDatetimeFromStr, pandasMixedZones } from './datetime-strings';
import { Bytes, NaT, Timestamp, type NaTType } from './cells';
import { pyIntLiteralError, pyRepr, pyStr, pyTypeName } from './py-repr';
import { pathKey, type WarningSink } from './warnings';

/** A Python exception as text: `type` and message (the servers embed `repr(ex)` or `str(ex)`). */
export class PyError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
    this.name = 'PyError';
  }
  repr(): string {
    return `${this.pyType}(${pyRepr(this.message)})`;
  }
}

/** One cell: a decoded JSON value, or bytes / Timestamp / NaT after casting. */
export type Cell = PyValue | Bytes | Timestamp | NaTType;
export type Label = string | number | bigint | PyFloat | boolean | null | PyTuple;

/**
 * A column label of a MultiIndex (pandas `ensure_index`: `columns` given as a list of lists is
 * `MultiIndex.from_arrays`, whose labels are tuples — `('age',)`). `String()` is its Python repr.
 */
export class PyTuple {
  /** `levelDtypes`: for a MultiIndex label, each level's dtype (`int64`, `float64`, `object`), which its printout follows. */
  constructor(
    readonly items: readonly Label[],
    readonly levelDtypes?: readonly string[],
  ) {}
  toString(): string {
    return this.items.length === 1 ? `(${pyRepr(this.items[0])},)` : `(${this.items.map((x) => pyRepr(x)).join(', ')})`;
  }
}

export interface Column {
  name: Label;
  /** pandas dtype name: `float64`, `int32`, `int64`, `uint64`, `float32`, `bool`, `object`, `datetime64[ns]`. */
  dtype: string;
  values: Cell[];
  /** JSON path of a cell, for warnings. */
  path: (row: number) => string;
}

export interface Frame {
  kind: 'frame';
  columns: Column[];
  nrows: number;
  /**
   * Row labels other than the default RangeIndex (a CSV line's extra first field, a `dataframe_split` `index`),
   * which 2.12's messages print. A list of lists as `index` is a row MultiIndex: one tuple per row.
   */
  index?: { dtype: string; values: Cell[] } | RowMultiIndex;
}

/** A row MultiIndex (`index` given as a list of lists): the rows' tuples, each carrying its levels' dtypes. */
export interface RowMultiIndex {
  dtype: 'multi';
  values: PyTuple[];
}

export interface NdArray {
  kind: 'ndarray';
  dtype: string;
  shape: number[];
  /** Row-major flat values (object arrays may hold nested lists when ragged). */
  data: Cell[];
  /**
   * A numpy *scalar* (np.generic: `np.array([v], dtype)[0]`), not a 0-d array (`np.array(v)`); shape is [].
   * They differ where MLflow looks: `np.isscalar`, `repr` (`3` vs `array(3)`) — docs/fidelity.md.
   */
  scalar?: boolean;
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const isIntVal = (v: unknown): v is number | bigint => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
const isNum = (v: unknown): v is number | bigint | PyFloat => typeof v === 'number' || typeof v === 'bigint' || v instanceof PyFloat;
const numVal = (v: number | bigint | PyFloat): number => (v instanceof PyFloat ? v.value : typeof v === 'bigint' ? Number(v) : v);

/**
 * 'float64' / 'int64' when every cell is a plain number (what the general count below concludes for
 * such a column: any non-integral one makes it float64), else null. A separate read-only loop with no
 * per-type counters: on a column of doubles it runs without boxing a cell, ~4× faster than the count.
 */
function plainNumberDtype(values: Cell[]): 'float64' | 'int64' | null {
  let frac = false;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (typeof v !== 'number') return null;
    if (!frac && v - Math.trunc(v) !== 0) frac = true;
  }
  return frac ? 'float64' : 'int64';
}

/** pandas' constructor inference for a column of decoded JSON values (`lib.maybe_convert_objects`). */
export function inferColumn(values: Cell[]): { dtype: string; values: Cell[] } {
  if (values.length === 0) return { dtype: 'object', values };
  const plainDtype = plainNumberDtype(values);
  if (plainDtype !== null) return { dtype: plainDtype, values };
  return inferColumnByCount(values);
}

/** inferColumn without its all-numbers shortcut: the general rule (exported for the property test). */
export function inferColumnByCount(values: Cell[]): { dtype: string; values: Cell[] } {
  if (values.length === 0) return { dtype: 'object', values };
  let bools = 0, _ints = 0, floats = 0, nones = 0, others = 0, bigPos = 0, bigNeg = 0, plain = 0;
  for (const v of values) {
    if (v === null) nones++;
    else if (typeof v === 'boolean') bools++;
    else if (typeof v === 'number') {
      plain++;
      if (Number.isInteger(v)) _ints++;
      else floats++;
    } else if (typeof v === 'bigint') {
      if (v > INT64_MAX) bigPos++;
      else if (v < INT64_MIN) bigNeg++;
      else _ints++;
    } else if (v instanceof PyFloat) floats++;
    else others++;
  }
  const n = values.length;
  if (bools === n) return { dtype: 'bool', values };
  if (others > 0 || bools > 0 || bigNeg > 0 || nones === n) return { dtype: 'object', values };
  if (floats === 0 && nones === 0) {
    if (bigPos === 0) return { dtype: 'int64', values };
    if (bigPos > 0 && values.every((v) => (typeof v === 'bigint' ? v >= 0n && v <= UINT64_MAX : (v as number) >= 0)))
      return { dtype: 'uint64', values };
    return { dtype: 'object', values };
  }
  // ints/floats with None: float64 and None → NaN. Plain numbers already are the float64 values.
  if (plain === n) return { dtype: 'float64', values };
  return { dtype: 'float64', values: values.map((v) => (v === null ? NaN : numVal(v as number))) };
}

const ident = (base: string) => (row: number) => `${base}[${row}]`;

/**
 * An array of `n` slots for a column about to be filled. When the column starts with a number it is
 * created as a double array right away: `new Array(n)` would start as small-integer slots and be
 * copied into a double backing store by the first fractional value, leaving 8 bytes per row of garbage
 * (8 MB of churn for a 1 000 000-cell body, counted by payload-validate's memory target).
 */
function columnBuffer(n: number, firstValue: PyValue): Cell[] {
  // Small columns: the copy is cheap and setting `length` costs more than it saves.
  if (n < 256 || typeof firstValue !== 'number') return new Array(n);
  const a: Cell[] = [0.5];
  a.length = n;
  return a;
}

/**
 * An item of a numpy array or pandas column of `dtype` as the Python object it boxes to when Python iterates or
 * prints it: in a float column, 1 is the float 1.0 (PyFloat), never the int its JSON text may look like.
 */
export const boxedItem = (v: Cell, dtype: string): PyValue => (typeof v === 'number' && dtype.startsWith('float') && Number.isInteger(v) ? new PyFloat(v) : (v as PyValue));

/** The least int Python's `float(int)` refuses: it rounds to 2**1024 (ties to even: the largest double's mantissa is odd). */
const FLOAT_OVERFLOW = 2n ** 1024n - 2n ** 970n;

/**
 * pandas 1.5.3 `lib.maybe_convert_objects`' first pass stores every Python int as a double too (`floats[i] =
 * <float64_t>val`) *before* its range checks, so an int past the double range raises `OverflowError('int too large
 * to convert to float')` — unless the pass stopped earlier at a value that makes the column object: a string, list or
 * dict, an int past uint64 / below int64, or a negative int beside one past int64 (those two checks skipped once a
 * None was seen). None, NaN, floats and bools do not stop it.
 */
function refuseIntPastDouble(raw: Cell[]): void {
  let at = -1;
  for (let r = 0; r < raw.length; r++) {
    const v = raw[r];
    if (typeof v === 'bigint' && (v >= FLOAT_OVERFLOW || v <= -FLOAT_OVERFLOW)) {
      at = r;
      break;
    }
  }
  if (at < 0) return;
  let uint = false, sint = false, sawNull = false;
  for (let r = 0; r < at; r++) {
    const v = raw[r];
    if (v === null) sawNull = true;
    else if (typeof v === 'number') {
      if (!sawNull && Number.isInteger(v) && v < 0) sint = true;
      if (!sawNull && uint && sint) return;
    } else if (typeof v === 'bigint') {
      if (sawNull) continue;
      uint ||= v > INT64_MAX;
      sint ||= v < 0n;
      if ((uint && sint) || v > UINT64_MAX || v < INT64_MIN) return;
    } else if (typeof v !== 'boolean' && !(v instanceof PyFloat)) return;
  }
  throw new PyError('OverflowError', 'int too large to convert to float');
}

/** Build a column, inferring its dtype (`maybe_convert_objects`, which may refuse an int past the double range). */
export function makeColumn(name: Label, raw: Cell[], path: (row: number) => string): Column {
  // inferColumn's all-numbers shortcut first: a column of plain numbers holds no int at all, so only the others pay
  // for the second pass over the cells (every split request's float columns skipped it before this rule, and do again)
  const plainDtype = raw.length > 0 ? plainNumberDtype(raw) : null;
  if (plainDtype !== null) return { name, dtype: plainDtype, values: raw, path };
  refuseIntPastDouble(raw);
  const { dtype, values } = inferColumnByCount(raw);
  return { name, dtype, values, path };
}

/** Python's `==`-based membership for column labels (`1 == 1.0`, `'1' != 1`). */
export const labelEq = (a: Label, b: Label): boolean => {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof PyTuple || b instanceof PyTuple)
    return a instanceof PyTuple && b instanceof PyTuple && a.items.length === b.items.length && a.items.every((x, k) => labelEq(x, b.items[k]!));
  if (a === null || b === null) return a === b;
  const na = typeof a === 'boolean' ? Number(a) : numVal(a as number);
  const nb = typeof b === 'boolean' ? Number(b) : numVal(b as number);
  return na === nb;
};

/**
 * `pd.DataFrame(index=…, columns=…, data=…)` for a `dataframe_split` body (payloads.md §3 `dataframe_split`,
 * §10 index broadcast). `base` is the JSON path of the split object.
 */
/**
 * pandas `ensure_index(list)`: when every element is a list, `MultiIndex.from_arrays(levels)` — the labels are
 * the tuples of the levels zipped (`[["a", "b"]]` → `('a',), ('b',)`); levels of unequal length fail.
 * Each level is factorized (`factorize_from_iterable`, docs/fidelity.md "Nested column labels"): its dtype is
 * inferred from its non-null values (ints → int64, with a float → float64, bools → bool, else object), None is NaN,
 * values equal in Python (`1 == True == 1.0`, `-0.0 == 0`) share one code, so a label holds the first one seen,
 * and a list or dict is unhashable.
 */
function multiIndexLabels(levels: PyValue[]): Label[] | null {
  if (levels.length === 0 || !levels.every((l) => Array.isArray(l))) return null;
  const arrays = levels as PyValue[][];
  const n = arrays[0]!.length;
  if (arrays.some((a) => a.length !== n)) throw new PyError('ValueError', 'all arrays must be same length');
  const factorized = arrays.map(factorizeLevel);
  const dtypes = factorized.map((f) => f.dtype);
  return Array.from({ length: n }, (_, k) => new PyTuple(factorized.map((f) => f.values[k]!), dtypes));
}

function factorizeLevel(values: PyValue[]): { dtype: string; values: Label[] } {
  for (const v of values) if (Array.isArray(v) || isPyDict(v)) throw new PyError('TypeError', `unhashable type: '${pyTypeName(v)}'`);
  // Python equality: 1 == 1.0 == True, -0.0 == 0; the first value seen stands for its class.
  const key = (v: PyValue): string => (typeof v === 'boolean' ? `n${Number(v)}` : isNum(v) ? `n${typeof v === 'bigint' ? v.toString() : String(numVal(v) === 0 ? 0 : numVal(v))}` : `s${String(v)}`);
  const first = new Map<string, PyValue>();
  for (const v of values) if (v !== null && !first.has(key(v))) first.set(key(v), v);
  // `Categorical(values)` infers a dtype from the non-null values (`maybe_convert_objects`: ints, ints with
  // floats, bools); when they stay object, the level is `Index(uniques)` and the distinct values that remain
  // decide (`[12, 0, False]` is int64: False went into 0's class).
  const present = values.filter((v) => v !== null) as Label[];
  const uniques = [...first.values()] as Label[];
  const inferred = indexDtype(present);
  const dtype = present.length === 0 ? 'float64' : inferred !== 'object' ? inferred : indexDtype(uniques);
  // The tuples are `take_nd(level, codes, fill_value=nan)`: an int level with a missing value gives floats.
  const floats = dtype === 'float64' || (dtype === 'int64' && uniques.length > 0 && values.includes(null));
  return {
    dtype,
    values: values.map((raw) => {
      if (raw === null) return NaN;
      const v = first.get(key(raw))!;
      if (!floats) return v as Label;
      const x = numVal(v as number);
      return Number.isInteger(x) ? new PyFloat(x) : x;
    }),
  };
}

/** The dtype pandas' `Index(list)` infers for flat labels (NaN is a float). */
export function indexDtype(labels: readonly Label[]): string {
  const isInt = (v: Label): boolean => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0));
  if (labels.length > 0 && labels.every(isInt)) return 'int64';
  if (labels.length > 0 && labels.every((v) => isNum(v))) return 'float64';
  // this pandas 1.5.3 (Debian) gives an all-bool Index the bool dtype, formatted as a fixed-width array
  if (labels.length > 0 && labels.every((v) => typeof v === 'boolean')) return 'bool';
  return 'object';
}

/** The JSON path of a split frame's cell in column `c` (a column's `path`). */
const cellPath = (dataPath: string, c: number) => (row: number): string => `${dataPath}[${row}][${c}]`;

export function frameFromSplit(data: PyValue, columns: PyValue | undefined, index: PyValue | undefined, base: string): Frame {
  // pandas' ensure_index(dict) is Index(list(dict)): a dict of columns names its keys (pandas 1.5.3 indexes/base.py).
  const given = columns === undefined || columns === null ? null : isPyDict(columns) ? [...columns.keys()] : columns;
  if (given !== null && !Array.isArray(given)) throw new PyError('TypeError', `Index(...) must be called with a collection of some kind, ${pyRepr(given)} was passed`);
  const cols: Label[] | PyValue[] | null = given === null ? null : (multiIndexLabels(given as PyValue[]) ?? (given as PyValue[]));
  // pandas' Index(dict) is the dict's keys; a list of lists is a MultiIndex as long as its first level.
  const idx = index === undefined || index === null ? null : isPyDict(index) ? [...index.keys()] : index;
  if (idx !== null && !Array.isArray(idx)) throw new PyError('TypeError', `Index(...) must be called with a collection of some kind, ${pyRepr(idx)} was passed`);
  if (isPyDict(data)) return frameFromDictOfLists(data, cols as Label[] | null, pathKey(base, 'data'));
  if (data === null) {
    // pd.DataFrame(data=None, columns=…, index=…): every column object, all NaN, one row per index label.
    const rowIndex = idx === null ? undefined : indexOf(idx as PyValue[]);
    const n = rowIndex === undefined ? 0 : rowIndex.values.length;
    const frame: Frame = { kind: 'frame', nrows: n, columns: ((cols ?? []) as Label[]).map((name) => ({ name, dtype: 'object', values: new Array<Cell>(n).fill(NaN), path: () => pathKey(base, 'data') })) };
    return rowIndex ? { ...frame, index: rowIndex } : frame;
  }
  if (!Array.isArray(data)) throw new PyError('ValueError', 'DataFrame constructor not properly called!');
  const dataPath = pathKey(base, 'data');
  // One pass counts the dict rows (all dicts: the records path).
  let dicts = 0;
  for (let r = 0; r < data.length; r++) if (isPyDict(data[r])) dicts++;
  // pandas 1.5.3 `DataFrame.__init__` decides by the FIRST row alone (internals/construction.py `treat_as_nested`:
  // is_list_like(data[0])), then `to_arrays` by its type: a dict → `_list_of_dict_to_arrays`, a list →
  // `_list_to_arrays` (lib.to_object_array); a scalar first row makes the whole list one 1-D object column
  // (`ndarray_to_mgr` → `_prep_ndarraylike`), whatever the later rows hold (docs/fidelity.md §"A row of another kind").
  const first0 = data.length > 0 ? data[0] : undefined;
  const nested = Array.isArray(first0) || isPyDict(first0);
  let frame: Frame;
  if (data.length > 0 && dicts === data.length) {
    frame = frameFromRecords(data as PyDict[], dataPath, cols as Label[] | null);
  } else if (isPyDict(first0)) {
    frame = frameFromRecords(data.map((r) => recordOf(r, cols !== null)), dataPath, cols as Label[] | null);
  } else if (first0 !== undefined && !Array.isArray(first0)) {
    // a 1-D list: one column
    const names = (cols ?? [0]) as Label[];
    if (names.length !== 1) throw new PyError('ValueError', `Shape of passed values is (${data.length}, 1), indices imply (${data.length}, ${names.length})`);
    frame = { kind: 'frame', nrows: data.length, columns: [makeColumn(names[0]!, data.slice(), ident(dataPath))] };
  } else {
    let width = 0;
    let converted = false;
    for (let r = 0; r < data.length; r++) {
      const row = data[r];
      if (!Array.isArray(row)) converted = true;
      else if (row.length > width) width = row.length;
    }
    if (converted) {
      // lib.to_object_array: `len(row)` of every row, then `list(row)`: a dict gives its keys, a str its characters;
      // a number, bool or None has no len() (TypeError).
      data = data.map((row) => {
        if (Array.isArray(row)) return row;
        if (isPyDict(row)) return [...row.keys()];
        if (typeof row === 'string') return Array.from(row);
        throw new PyError('TypeError', `object of type '${pyTypeName(row)}' has no len()`);
      });
      for (const row of data as PyValue[][]) if (row.length > width) width = row.length;
    }
    const names: Label[] = cols ? (cols as Label[]) : Array.from({ length: width }, (_, k) => k);
    if (cols && data.length > 0 && names.length !== width)
      throw new PyError('ValueError', `${names.length} columns passed, passed data had ${width} columns`);
    // one pass over the rows (each row array is read once), filling every column
    const first = data[0] as PyValue[] | undefined;
    const nc = names.length;
    // push, not `new Array(nc)`: a pre-sized array stays holey, and every later reader of it pays for that
    const raws: Cell[][] = [];
    for (let c = 0; c < nc; c++) raws.push(columnBuffer(data.length, first && c < first.length ? first[c]! : null));
    for (let r = 0; r < data.length; r++) {
      const row = data[r] as PyValue[];
      const len = row.length;
      // Short rows are padded with None. Two loops, not `c < len ? row[c] : null`: the mixed expression
      // would box every double of a JSON.parse'd row into a heap number (16 bytes of garbage per cell).
      const m = len < nc ? len : nc;
      for (let c = 0; c < m; c++) raws[c]![r] = row[c]!;
      for (let c = m; c < nc; c++) raws[c]![r] = null;
    }
    const columnsOut: Column[] = [];
    for (let c = 0; c < nc; c++) columnsOut.push(makeColumn(names[c]!, raws[c]!, cellPath(dataPath, c)));
    frame = { kind: 'frame', nrows: data.length, columns: columnsOut };
  }
  if (idx !== null) {
    // `ensure_index(index)` (factorizing a MultiIndex's levels) comes before the length checks
    const rowIndex = indexOf(idx as PyValue[]);
    const len = rowIndex.values.length;
    if (len !== frame.nrows) {
      if (frame.nrows === 1 && len > 1) {
        // payloads.md §10: one data row and a longer index is broadcast to every index label
        frame = {
          kind: 'frame',
          nrows: len,
          columns: frame.columns.map((c) => ({ ...c, values: Array.from({ length: len }, () => c.values[0]!), path: () => c.path(0) })),
        };
      } else if (nested) {
        // rows (lists or dicts) go through arrays_to_mgr → sanitize_array → require_length_match
        throw new PyError('ValueError', `Length of values (${frame.nrows}) does not match length of index (${len})`);
      } else {
        // a flat list is one 2-D ndarray: ndarray_to_mgr → _check_values_indices_shape_match
        throw new PyError('ValueError', `Shape of passed values is (${frame.nrows}, ${frame.columns.length}), indices imply (${len}, ${frame.columns.length})`);
      }
    }
    frame = { ...frame, index: rowIndex };
  }
  return frame;
}

/**
 * pandas `ensure_index(list)` of a `dataframe_split` `index`, which 2.12's messages print: a list of lists is a
 * MultiIndex (`MultiIndex.from_arrays`, factorized like nested column labels); other labels are a flat Index
 * (None is NaN among numbers — not among bools —; a list among them is an object label).
 */
export function indexOf(levels: PyValue[]): { dtype: string; values: Cell[] } | RowMultiIndex {
  const tuples = multiIndexLabels(levels);
  if (tuples !== null) return { dtype: 'multi', values: tuples as PyTuple[] };
  const flat = levels.filter((l) => !isPyDict(l)) as Label[];
  const dtype = flat.length < levels.length || flat.some((l) => Array.isArray(l)) ? 'object' : flatIndexDtype(flat);
  return { dtype, values: levels.map((l) => (l === null && dtype !== 'object' ? NaN : (l as Cell))) };
}

/** `Index(labels)` (and `Index._with_infer` of an object Index): None among numbers makes them float64 with NaN. */
export function flatIndexDtype(labels: readonly Label[]): string {
  const present = labels.filter((l) => l !== null);
  return present.length > 0 && present.length < labels.length && ['int64', 'float64'].includes(indexDtype(present)) ? 'float64' : indexDtype(labels);
}

/**
 * A row of a list whose first row is a dict (pandas 1.5.3 `_list_of_dict_to_arrays`): without columns every row's
 * `x.keys()` is read (AttributeError for anything but a dict); with columns each row is `dict(row)` (CPython
 * `dict_merge_from_seq2`: an iterable of key/value pairs).
 */
function recordOf(row: PyValue, withColumns: boolean): PyDict {
  if (isPyDict(row)) return row;
  if (!withColumns) throw new PyError('AttributeError', `'${pyTypeName(row)}' object has no attribute 'keys'`);
  if (row === null || typeof row === 'number' || typeof row === 'boolean' || row instanceof PyFloat || typeof row === 'bigint')
    throw new PyError('TypeError', `'${pyTypeName(row)}' object is not iterable`);
  const items: PyValue[] = typeof row === 'string' ? Array.from(row) : Array.isArray(row) ? row : [];
  const out: PyDict = new Map();
  items.forEach((el, k) => {
    const pair: PyValue[] | null = typeof el === 'string' ? Array.from(el) : Array.isArray(el) ? el : isPyDict(el) ? [...el.keys()] : null;
    if (pair === null) throw new PyError('TypeError', `cannot convert dictionary update sequence element #${k} to a sequence`);
    if (pair.length !== 2) throw new PyError('ValueError', `dictionary update sequence element #${k} has length ${pair.length}; 2 is required`);
    const key = pair[0]!;
    if (Array.isArray(key) || isPyDict(key)) throw new PyError('TypeError', `unhashable type: '${pyTypeName(key)}'`);
    out.set(typeof key === 'string' ? key : pyStr(key), pair[1]!);
  });
  return out;
}

/** `pd.DataFrame(data=list_of_dicts)`: keys in first-seen order; a missing key becomes NaN (§3). */
export function frameFromRecords(records: PyValue[], base: string, only: Label[] | null = null): Frame {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (!isPyDict(r)) throw new PyError('TypeError', `object of type '${pyTypeName(r)}' has no len()`);
    for (const k of r.keys()) if (!seen.has(k)) { seen.add(k); order.push(k); }
  }
  const names: Label[] = only ?? order;
  const columns = names.map((name) => {
    const key = typeof name === 'string' ? name : pyStr(name);
    const raw: Cell[] = records.map((r) => {
      const v = (r as PyDict).get(key);
      return v === undefined ? NaN : v;
    });
    return makeColumn(name, raw, (row) => pathKey(`${base}[${row}]`, key));
  });
  return { kind: 'frame', nrows: records.length, columns };
}

/** `pd.DataFrame(dict_of_lists)`; scalars need an index (pandas' own error), lengths must agree. */
export function frameFromDictOfLists(dict: PyDict, only: Label[] | null, base: string): Frame {
  const keys = only ? (only as Label[]).map((l) => (typeof l === 'string' ? l : pyStr(l))) : [...dict.keys()];
  // pandas 1.5.3 `dict_to_mgr` → `_extract_index` sizes the frame from the selected columns only: with `columns`, a
  // key the dict lacks is an all-NaN column and the others' values are ignored (none selected: 0 rows).
  const present = keys.filter((k) => dict.has(k)).map((k) => dict.get(k)!);
  const dictValues = present.filter((v): v is PyDict => isPyDict(v));
  if (dictValues.length) return frameOfDictColumns(dict, keys, only, dictValues, present, base);
  let nrows = -1;
  const allScalar = present.every((v) => !Array.isArray(v));
  if (allScalar && present.length > 0) throw new PyError('ValueError', 'If using all scalar values, you must pass an index');
  for (const v of present) {
    if (Array.isArray(v)) {
      if (nrows >= 0 && v.length !== nrows) throw new PyError('ValueError', 'All arrays must be of the same length');
      nrows = v.length;
    }
  }
  if (nrows < 0) nrows = 0;
  const columns = keys.map((key, c) => {
    const v = dict.get(key);
    const raw: Cell[] = v === undefined ? new Array(nrows).fill(NaN) : Array.isArray(v) ? v.slice() : new Array(nrows).fill(v);
    return makeColumn((only ? only[c] : key) as Label, raw, (row) => `${pathKey(base, key)}[${row}]`);
  });
  return { kind: 'frame', nrows, columns };
}

/**
 * `pd.DataFrame(dict)` where some values are dicts: each is a Series on its keys (pandas 1.5.3 `_extract_index`,
 * `union_indexes`): one dict's keys sorted, several dicts' keys in first-seen order; a list beside a dict is refused;
 * scalars are broadcast, a key a dict lacks is NaN.
 */
function frameOfDictColumns(dict: PyDict, keys: string[], only: Label[] | null, dictValues: PyDict[], present: PyValue[], base: string): Frame {
  if (present.some((v) => Array.isArray(v))) throw new PyError('ValueError', 'Mixing dicts with non-Series may lead to ambiguous ordering.');
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const d of dictValues) for (const k of d.keys()) if (!seen.has(k)) { seen.add(k); labels.push(k); }
  if (dictValues.length === 1) labels.sort(byCodePoints);
  const nrows = labels.length;
  const columns = keys.map((key, c) => {
    const v = dict.get(key);
    const raw: Cell[] = v === undefined ? new Array(nrows).fill(NaN) : isPyDict(v) ? labels.map((l) => (v.has(l) ? v.get(l)! : NaN)) : new Array(nrows).fill(v);
    return makeColumn((only ? only[c] : key) as Label, raw, (row) => `${pathKey(base, key)}[${row}]`);
  });
  return { kind: 'frame', nrows, columns, index: indexOf(labels) };
}

/** Python's `sorted()` of str: code point by code point (JavaScript's default sort compares UTF-16 units). */
function byCodePoints(a: string, b: string): number {
  const x = Array.from(a, (ch) => ch.codePointAt(0)!);
  const y = Array.from(b, (ch) => ch.codePointAt(0)!);
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
  return x.length - y.length;
}

/** `pd.DataFrame([dict])`: one row from a dict of scalars (or anything). */
export function frameFromSingleRow(dict: PyDict, base: string): Frame {
  const columns = [...dict].map(([k, v]) => makeColumn(k, [v], () => pathKey(base, k)));
  return { kind: 'frame', nrows: 1, columns };
}

// ---- astype (payloads.md §2.1) ---------------------------------------------------------------------

// Python's float literal: `digits[.digits]` or `.digits` (then an exponent), `digits.`, inf, nan. Written so that
// no two quantifiers can take the same digits (an optional digit run, an optional point and a digit run split a
// long digit string every way: a 40 000-digit cell followed by a letter took seconds); the same texts as
// `(?:D)?\.?D` with D = `\d(?:_?\d)*`.
const FLOAT_RE = /^\s*[-+]?(?:(?:\d(?:_?\d)*(?:\.\d(?:_?\d)*)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?|\d(?:_?\d)*\.(?:[eE][-+]?\d(?:_?\d)*)?|inf(?:inity)?|nan)\s*$/i;
const INT_RE = /^\s*[-+]?\d(?:_?\d)*\s*$/;

/** Python `float(str)` (non-ASCII digits and spaces as CPython reads them: py-numtext.ts). */
export function pyFloatFromStr(text: string): number | null {
  const s = pyNumberText(text);
  if (!FLOAT_RE.test(s)) return null;
  const t = s.trim().replace(/_/g, '').toLowerCase();
  if (/^[-+]?inf(inity)?$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/.test(t)) return NaN;
  return Number(t);
}

/** Python `int(str)` (non-ASCII digits and spaces as CPython reads them: py-numtext.ts). */
function pyIntFromStr(text: string): bigint | null {
  const s = pyNumberText(text);
  if (!INT_RE.test(s)) return null;
  return BigInt(s.trim().replace(/_/g, ''));
}

/** Wrap a Python int into a fixed-width two's-complement integer (numpy's silent overflow). */
export function wrapInt(v: bigint, bits: 32 | 64): bigint {
  return BigInt.asIntN(bits, v);
}

const toBig = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));
const fromBig = (v: bigint): number | bigint =>
  v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;

/** Python's truth value (`bool(v)`) of a cell or JSON value. */
export const isTruthy = (v: Cell): boolean => {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0; // NaN is truthy in Python
  if (typeof v === 'bigint') return v !== 0n;
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
};

/**
 * `Series.astype(target)` for the pandas dtypes MLflow's signature maps to (§2.1): bool, int32, int64,
 * float32, float64, object, datetime64[ns]. Records every silent coercion in `sink`.
 */
export function astypeColumn(col: Column, target: string, sink: WarningSink | null): Column {
  const src = col.dtype;
  // Same dtype: nothing to cast, and nothing to allocate (checked before the output buffer exists).
  if (target === src && target !== 'float32' && target !== 'int32') return col;
  const n = col.values.length;
  const out: Cell[] = new Array(n);
  const label = pyStr(col.name);
  const warn = (code: string, row: number, message: string): void => {
    if (sink && !sink.saturated(code)) sink.add(code, message, col.path(row));
  };
  switch (target) {
    case 'float64':
    case 'float32': {
      const f32 = target === 'float32';
      let rounded = false;
      for (let r = 0; r < n; r++) {
        const v = col.values[r]!;
        let x: number;
        if (typeof v === 'number') x = v;
        else if (v === null) x = NaN;
        else if (typeof v === 'boolean') {
          x = v ? 1 : 0;
          warn('bool-to-number', r, `Column '${label}' row ${r}: ${v ? 'true' : 'false'} becomes ${x}.0.`);
        } else if (typeof v === 'bigint' || v instanceof PyFloat) x = numVal(v);
        else if (typeof v === 'string') {
          const p = pyFloatFromStr(v);
          if (p === null) throw new PyError('ValueError', `could not convert string to float: ${pyRepr(v)}`);
          x = p;
          warn('string-to-number', r, `Column '${label}' row ${r}: the string ${pyRepr(v)} is read as the number ${x}.`);
        } else if (Array.isArray(v)) throw new PyError('ValueError', 'setting an array element with a sequence.');
        else throw new PyError('TypeError', `float() argument must be a string or a real number, not '${pyTypeName(v)}'`);
        if (f32) {
          const y = Math.fround(x);
          if (y !== x && !Number.isNaN(x)) rounded = true;
          x = y;
        }
        out[r] = x;
      }
      if (rounded && sink) sink.add('float32-rounding', `Column '${label}' is float32: values are rounded to single precision (0.1 becomes 0.10000000149011612).`, col.path(0));
      break;
    }
    case 'int64':
    case 'int32': {
      const bits = target === 'int32' ? 32 : 64;
      if (src === 'float64' || src === 'float32') {
        // pandas refuses NaN/inf for the whole column before casting anything
        for (let r = 0; r < n; r++) {
          const v = col.values[r] as number;
          if (!Number.isFinite(v)) throw new PyError('IntCastingNaNError', 'Cannot convert non-finite values (NA or inf) to integer');
        }
      }
      for (let r = 0; r < n; r++) {
        const v = col.values[r]!;
        let b: bigint;
        if ((src === 'float64' || src === 'float32') && typeof v === 'number' && (Math.trunc(v) >= 2 ** (bits - 1) || Math.trunc(v) < -(2 ** (bits - 1)))) {
          // numpy's C cast of an out-of-range double on x86-64 (cvttsd2si) gives the "integer indefinite",
          // the width's minimum: 1e308 → -2147483648 in int32 (Debian numpy 1.24, docs/fidelity.md).
          b = -(2n ** BigInt(bits - 1));
          warn('int-overflow-wrap', r, `Column '${label}' row ${r}: ${pyRepr(v)} does not fit ${target} and becomes ${b}.`);
        } else if (typeof v === 'number' && Number.isInteger(v)) b = BigInt(v);
        else if (typeof v === 'bigint') {
          // numpy 1.24 `astype` of an object array: each Python int goes through a C long first (docs/fidelity.md).
          if (src === 'object' && (v > INT64_MAX || v < INT64_MIN)) throw new PyError('OverflowError', 'Python int too large to convert to C long');
          b = v;
        } else if (typeof v === 'number' || v instanceof PyFloat) {
          const x = numVal(v);
          if (Number.isNaN(x)) throw new PyError('ValueError', 'cannot convert float NaN to integer');
          if (!Number.isFinite(x)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
          b = BigInt(Math.trunc(x));
          if (Math.trunc(x) !== x) warn('float-truncated', r, `Column '${label}' row ${r}: ${pyRepr(v)} is truncated to ${Math.trunc(x)} (no rounding, no error).`);
        } else if (typeof v === 'boolean') {
          b = v ? 1n : 0n;
          warn('bool-to-number', r, `Column '${label}' row ${r}: ${v ? 'true' : 'false'} becomes ${v ? 1 : 0}.`);
        } else if (typeof v === 'string') {
          const p = pyIntFromStr(v);
          if (p === null) throw new PyError('ValueError', pyIntLiteralError(v));
          if (p > INT64_MAX || p < INT64_MIN) throw new PyError('OverflowError', 'Python int too large to convert to C long');
          b = p;
          warn('string-to-number', r, `Column '${label}' row ${r}: the string ${pyRepr(v)} is read as the integer ${p}.`);
        } else if (Array.isArray(v)) throw new PyError('ValueError', 'setting an array element with a sequence.');
        else throw new PyError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
        const w = wrapInt(b, bits);
        if (w !== b) warn('int-overflow-wrap', r, `Column '${label}' row ${r}: ${b} does not fit ${target} and silently wraps to ${w}.`);
        out[r] = fromBig(w);
      }
      break;
    }
    case 'bool': {
      for (let r = 0; r < n; r++) {
        const v = col.values[r]!;
        const t = isTruthy(v);
        if (typeof v === 'string') warn('string-to-bool', r, `Column '${label}' row ${r}: the string ${pyRepr(v)} becomes ${t ? 'True' : 'False'} (any non-empty string is True, even "false").`);
        else if (v === null) warn('null-to-false', r, `Column '${label}' row ${r}: null becomes False.`);
        else if (typeof v === 'number' && Number.isNaN(v)) warn('nan-to-true', r, `Column '${label}' row ${r}: a missing value (NaN) becomes True.`);
        else if (isNum(v) && numVal(v) !== 0 && numVal(v) !== 1) warn('number-to-bool', r, `Column '${label}' row ${r}: ${pyRepr(v)} becomes True.`);
        else if (typeof v !== 'boolean' && !isNum(v)) warn('value-to-bool', r, `Column '${label}' row ${r}: ${pyRepr(v)} becomes ${t ? 'True' : 'False'}.`);
        out[r] = t;
      }
      break;
    }
    case 'object': {
      for (let r = 0; r < n; r++) {
        let v = col.values[r]!;
        if (src === 'float64' || src === 'float32') {
          const x = v as number;
          v = Number.isInteger(x) || Object.is(x, -0) ? new PyFloat(x) : x;
        }
        out[r] = v;
      }
      break;
    }
    case 'datetime64[ns]': {
      // each parsed string's UTC offset, for pandas' refusal of mixed offsets after the whole column is read
      const offsets: (number | 'naive')[] = [];
      let onlyStrings = true;
      for (let r = 0; r < n; r++) {
        const v = col.values[r]!;
        if (v === null || (typeof v === 'number' && Number.isNaN(v))) out[r] = NaT;
        else if (v instanceof Timestamp) out[r] = v;
        else if (typeof v === 'string') {
          const ts = pandasDatetimeFromStr(v, r, offsets);
          if (!(ts instanceof Timestamp)) {
            out[r] = NaT;
            continue;
          }
          if (/(Z|[+-]\d{2}:?\d{2})\s*$/.test(v) && /\d[T ]\d/.test(v))
            warn('timezone-dropped', r, `Column '${label}' row ${r}: ${pyRepr(v)} is converted to UTC and the offset is dropped (${ts.iso()}).`);
          out[r] = ts;
        } else if (isIntVal(v)) {
          onlyStrings = false;
          out[r] = new Timestamp(toBig(v));
          warn('int-as-nanoseconds', r, `Column '${label}' row ${r}: the integer ${pyRepr(v)} is read as nanoseconds since 1970-01-01 (${new Timestamp(toBig(v)).iso()}).`);
        } else if (isNum(v)) {
          onlyStrings = false;
          out[r] = new Timestamp(BigInt(Math.trunc(numVal(v))));
          warn('int-as-nanoseconds', r, `Column '${label}' row ${r}: the number ${pyRepr(v)} is read as nanoseconds since 1970-01-01.`);
        } else if (typeof v === 'boolean') throw new PyError('TypeError', `<class 'bool'> is not convertible to datetime`);
        else throw new PyError('TypeError', `<class '${pyTypeName(v)}'> is not convertible to datetime`);
      }
      // numbers beside mixed offsets take pandas' object path another way (not modelled): only strings and gaps here
      if (onlyStrings) pandasMixedZones(offsets);
      break;
    }
    default:
      throw new PyError('TypeError', `data type '${target}' not understood`);
  }
  return { name: col.name, dtype: target, values: out, path: col.path };
}

/** Warn about non-string values kept as-is in a `string` (object) column (§2.1 "accepted unchanged"). */
export function warnNonStrings(col: Column, sink: WarningSink): void {
  const label = pyStr(col.name);
  for (let r = 0; r < col.values.length; r++) {
    const v = col.values[r];
    if (typeof v !== 'string' && !sink.saturated('non-string-in-string-column'))
      sink.add('non-string-in-string-column', `Column '${label}' row ${r}: ${pyRepr(v)} (${pyTypeName(v)}) is passed to the model unchanged although the signature says string.`, col.path(r));
  }
}

// ---- numpy.array(value, dtype) (payloads.md §2.4) -----------------------------------------------

/** Shape of a nested list as numpy sees it, or null when ragged. */
export function nestedShape(v: PyValue): number[] | null {
  if (!Array.isArray(v)) return [];
  const shape: number[] = [];
  let level: PyValue[] = [v];
  for (;;) {
    const first = level[0];
    if (!Array.isArray(first)) {
      if (level.some((x) => Array.isArray(x))) return null;
      return shape;
    }
    const len = first.length;
    if (level.some((x) => !Array.isArray(x) || x.length !== len)) return null;
    shape.push(len);
    const next: PyValue[] = [];
    for (const x of level) for (const y of x as PyValue[]) next.push(y);
    if (len === 0) return shape;
    level = next;
  }
}

function flatten(v: PyValue, depth: number): PyValue[] {
  let level: PyValue[] = [v];
  for (let d = 0; d < depth; d++) {
    const next: PyValue[] = [];
    for (const x of level) for (const y of x as PyValue[]) next.push(y);
    level = next;
  }
  return level;
}

/** numpy's default dtype for a list of JSON scalars (`np.array(v)` with no dtype). */
export function inferNumpyDtype(flat: PyValue[]): string {
  if (flat.length === 0) return 'float64';
  let hasStr = false, hasFloat = false, hasBool = false, hasInt = false, hasUint = false, hasHuge = false, hasOther = false, maxStr = 0;
  for (const v of flat) {
    if (typeof v === 'string') { hasStr = true; maxStr = Math.max(maxStr, [...v].length); }
    else if (typeof v === 'boolean') hasBool = true;
    else if (isIntVal(v)) {
      // numpy 1.24 types each Python int by its value: long, unsigned long long past int64, object past uint64
      const b = typeof v === 'bigint' ? v : 0n;
      if (b > UINT64_MAX || b < INT64_MIN) hasHuge = true;
      else if (b > INT64_MAX) hasUint = true;
      else hasInt = true;
    } else if (isNum(v)) hasFloat = true;
    else hasOther = true;
  }
  if (hasOther || hasHuge) return 'object';
  // numpy promotes a number to a string as wide as its type's longest text: int64 21, uint64 20,
  // float64 32, bool 5 — np.asarray([1, 'a']) is <U21, [1.5, 'a'] <U32 (Debian numpy 1.24).
  if (hasStr) return `<U${Math.max(maxStr, hasFloat ? 32 : 0, hasInt ? 21 : 0, hasUint ? 20 : 0, hasBool ? 5 : 0)}`;
  if (hasFloat) return 'float64';
  // uint64 with int64 promotes to float64 (np.array([2**63, 1]) is float64); with bools alone it stays uint64
  if (hasUint) return hasInt ? 'float64' : 'uint64';
  if (hasInt) return 'int64';
  return 'bool';
}

/**
 * numpy's `S` dtype encodes a str as ASCII: the first run of other characters is Python's UnicodeEncodeError
 * ("'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)", "characters in
 * position 0-1" for a run), positions in code points.
 */
function asciiBytes(s: string): Uint8Array {
  const chars = [...s];
  const start = chars.findIndex((c) => c.codePointAt(0)! > 0x7f);
  if (start < 0) return Uint8Array.from(chars, (c) => c.charCodeAt(0));
  let end = start;
  while (end < chars.length && chars[end]!.codePointAt(0)! > 0x7f) end++;
  const cp = chars[start]!.codePointAt(0)!;
  const esc = cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
  const what = end - start === 1 ? `character '${esc}' in position ${start}` : `characters in position ${start}-${end - 1}`;
  throw new PyError('UnicodeEncodeError', `'ascii' codec can't encode ${what}: ordinal not in range(128)`);
}

/** Cast one scalar to a numpy dtype the way `np.array(x, dtype=…)` does (floats truncate for ints). */
const STR_DTYPE = /^(str|<U\d*|U\d*|unicode|string)$/;

function castScalar(v: PyValue, dtype: string): Cell {
  if (dtype === 'object' || dtype === 'O') return v;
  if (/^float/.test(dtype)) {
    if (v === null) return NaN;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (isNum(v)) return dtype === 'float32' || dtype === 'float16' ? Math.fround(numVal(v)) : numVal(v);
    if (typeof v === 'string') {
      const p = pyFloatFromStr(v);
      if (p === null) throw new PyError('ValueError', `could not convert string to float: ${pyRepr(v)}`);
      return p;
    }
    throw new PyError('TypeError', `float() argument must be a string or a real number, not '${pyTypeName(v)}'`);
  }
  const im = /^u?int(8|16|32|64)$/.exec(dtype);
  if (im) {
    const bits = Number(im[1]);
    let b: bigint;
    if (typeof v === 'boolean') b = v ? 1n : 0n;
    else if (isIntVal(v)) b = toBig(v);
    else if (isNum(v)) {
      const x = numVal(v);
      if (Number.isNaN(x)) throw new PyError('ValueError', 'cannot convert float NaN to integer');
      if (!Number.isFinite(x)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
      b = BigInt(Math.trunc(x));
    } else if (typeof v === 'string') {
      const p = pyIntFromStr(v);
      if (p === null) throw new PyError('ValueError', pyIntLiteralError(v));
      b = p;
    } else throw new PyError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
    // numpy 1.24 (the servers' numpy): a Python int becomes a C long (an unsigned long long for unsigned
    // targets) or fails, then wraps to the target's width with only a DeprecationWarning — 2**31 in int32 is
    // -2147483648, 2**63 anywhere signed is "too large" (numpy 2's "out of bounds" words do not apply).
    const max = dtype.startsWith('u') ? UINT64_MAX : INT64_MAX;
    if (b > max || b < INT64_MIN) throw new PyError('OverflowError', 'Python int too large to convert to C long');
    return fromBig(dtype.startsWith('u') ? BigInt.asUintN(bits, b) : BigInt.asIntN(bits, b));
  }
  if (dtype === 'bool') return isTruthy(v);
  if (STR_DTYPE.test(dtype)) {
    if (typeof v === 'string') return v;
    return pyStr(v);
  }
  if (/^datetime64/.test(dtype)) {
    // numpy's own ISO 8601 parser (numpy-datetime.ts), not pandas'
    if (typeof v === 'string') return numpyDatetimeFromStr(v);
    if (v === null || (v as unknown) === NaT) return NaT;
    // a numpy datetime64 already (convert_data_type's per-record scalar, stacked again by np.array)
    if (v instanceof Timestamp) return v;
    if (isIntVal(v)) return new Timestamp(toBig(v));
    // a bool is the integer 0 / 1 (ns since the epoch)
    if (typeof v === 'boolean') return new Timestamp(v ? 1n : 0n);
    throw new PyError('ValueError', `Could not convert object to NumPy datetime`);
  }
  if (dtype === 'bytes' || /^\|?S\d*$/.test(dtype)) return new Bytes(asciiBytes(typeof v === 'string' ? v : pyStr(v)));
  throw new PyError('TypeError', `data type '${dtype}' not understood`);
}

/** `numpy.array(value, dtype=dtype)` (dtype null → numpy's own inference). Ragged data fails like numpy. */
export function ndarrayFrom(value: PyValue, dtype: string | null, warn?: (flatIndex: number, from: PyValue, to: Cell) => void): NdArray {
  const shape = nestedShape(value);
  // numpy's NPY_MAXDIMS (32): deeper nesting fails before any dtype or shape check.
  if (shape !== null && shape.length > 32) throw new PyError('ValueError', 'setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 32.');
  if (shape === null) {
    if (dtype === 'object' || dtype === 'O') {
      const top = value as PyValue[];
      return { kind: 'ndarray', dtype: 'object', shape: [top.length], data: top.slice() };
    }
    const dims = raggedDims(value);
    throw new PyError(
      'ValueError',
      `setting an array element with a sequence. The requested array has an inhomogeneous shape after ${dims} dimensions. The detected shape was ${pyShape(commonPrefixShape(value, dims))} + inhomogeneous part.`,
    );
  }
  const flat = flatten(value, shape.length);
  const dt = normaliseDtype(dtype ?? inferNumpyDtype(flat));
  const data: Cell[] = new Array(flat.length);
  for (let k = 0; k < flat.length; k++) {
    const x = flat[k]!;
    // a dict is one element to numpy: `str()` of it under a str dtype, its truth value under bool
    // (PyObject_IsTrue: `np.array([{'a': 1}], bool)` is [True]), an error under a numeric one
    if (dt !== 'object' && (Array.isArray(x) || (x instanceof Map && !STR_DTYPE.test(dt) && dt !== 'bool'))) {
      // Python 3.11's own words: float() "a string or a real number", int() "a string, a bytes-like object or a real number".
      if (x instanceof Map && /^float|^u?int/.test(dt)) throw new PyError('TypeError', /^float/.test(dt) ? "float() argument must be a string or a real number, not 'dict'" : "int() argument must be a string, a bytes-like object or a real number, not 'dict'");
      throw new PyError('ValueError', 'setting an array element with a sequence.');
    }
    const c = castScalar(x, dt);
    if (warn) warn(k, x, c);
    data[k] = c;
  }
  if (dt !== 'str') return { kind: 'ndarray', dtype: dt, shape, data };
  // numpy sizes a str array by its longest element (a loop: a spread of a large array overflows the call stack)
  let width = 1;
  for (const x of flat) width = Math.max(width, [...pyStr(x)].length);
  return { kind: 'ndarray', dtype: `<U${width}`, shape, data };
}

function raggedDims(v: PyValue): number {
  let d = 0;
  let level: PyValue[] = [v];
  for (;;) {
    if (!level.every((x) => Array.isArray(x))) return d;
    const len = (level[0] as PyValue[]).length;
    // numpy's shape discovery stops at the first level whose sequences differ in length: the dimensions
    // before it are the shape it reports (`[[1, 2, 3], [1, 2]]` → after 1 dimensions, (2,)).
    if (level.some((x) => (x as PyValue[]).length !== len)) return d;
    d++;
    level = level.flatMap((x) => x as PyValue[]);
  }
}
function commonPrefixShape(v: PyValue, dims: number): number[] {
  const s: number[] = [];
  let cur: PyValue = v;
  for (let d = 0; d < dims; d++) {
    s.push((cur as PyValue[]).length);
    cur = (cur as PyValue[])[0]!;
  }
  return s;
}

export const pyShape = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

/** numpy dtype spellings in MLmodel (`float`, `str`, `np.float32`) → canonical names. */
export function normaliseDtype(d: string): string {
  const t = d.replace(/^(np|numpy)\./, '');
  const map: Record<string, string> = {
    float: 'float64', double: 'float64', float_: 'float64', single: 'float32', int: 'int64', int_: 'int64', long: 'int64',
    bool_: 'bool', O: 'object', object_: 'object', str_: 'str', unicode: 'str', bytes_: 'bytes',
  };
  return map[t] ?? t;
}

/** Reshape helper: product of dims. */
export const shapeSize = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
