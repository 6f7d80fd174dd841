/**
 * pandas 1.5's `str(DataFrame)` as the MLflow servers print it in 2.12's "Failed to predict data '<data>'"
 * (docs/fidelity.md §2). `DataFrame.__repr__` → `to_string(**get_dataframe_repr_params())` with the options a
 * server process has: display.max_rows 60, min_rows 10, max_colwidth 50, show_dimensions "truncate", width 80,
 * and max_columns **0** — pandas' `config_init` picks 0 when `is_terminal()`, which is true outside IPython — so
 * `StringFormatter._fit_strcols_to_terminal_width` drops middle columns until the text fits the terminal's
 * width, and the server's stdout is a log file, so `shutil.get_terminal_size()` falls back to 80.
 */
import { PyFloat } from './py-json';
import { NaT, Timestamp } from './cells';
import { flatIndexDtype, indexDtype, PyTuple, type Cell, type Column, type Frame, type Label } from './frame';
import { pyRepr, pyStr } from './py-repr';
import { maxOf } from '@shared/arrays';
import { pyHead, pyLen, pyLjust, pyRjust } from './py-text-width';

const MAX_ROWS = 60;
const MIN_ROWS = 10;
const MAX_COLWIDTH = 50;
const TERMINAL_WIDTH = 80;

/**
 * `pprint_thing(x, escape_chars=("\t", "\r", "\n"))`, which pandas 1.5 applies to an object column's cells
 * (`GenericArrayFormatter._format_strings`) and to an object Index's labels (`Index._format_with_header`, so
 * column names, row labels and MultiIndex levels): a tab, CR or LF prints as `\t`, `\r`, `\n`. The empty
 * frame's `Columns: […]` line does not escape (`pprint_thing(columns)` without escape_chars).
 */
const escaped = (t: string): string => t.replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n');

const cellText = (c: Cell, dtype: string): string => {
  if (c === null) return 'None';
  if (typeof c === 'number') {
    if (Number.isNaN(c)) return 'NaN';
    if (dtype.startsWith('float')) return Number.isInteger(c) ? `${c}.0` : String(c);
    return String(c);
  }
  if (c === NaT) return 'NaT';
  if (c instanceof Timestamp) return c.iso();
  if (typeof c === 'string') return escaped(c);
  return pyRepr(c);
};

/** Python's `'%.{digits}f' % x` (round-half-even on the exact binary value; JS toFixed rounds ties up). */
function pyFixed(x: number, digits: number): string {
  const a = Math.abs(x);
  const exact = a.toFixed(Math.min(100, digits + 60));
  const cut = exact.indexOf('.') + 1 + digits;
  const rest = exact.slice(cut);
  let out = a.toFixed(digits);
  if (/^50*$/.test(rest)) {
    // a true tie: keep the even last digit
    const down = exact.slice(0, cut);
    out = Number(down[down.length - 1]) % 2 === 0 ? down : out;
  }
  return (x < 0 || Object.is(x, -0) ? '-' : '') + out;
}

/** Python's `'%.{digits}e' % x` (which keeps the sign of -0.0, unlike JS `toExponential`). */
function pyExp(x: number, digits: number): string {
  const [m, e] = x.toExponential(digits).split('e') as [string, string];
  const n = Number(e);
  return `${Object.is(x, -0) ? '-' : ''}${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/**
 * pandas 1.5 `FloatArrayFormatter` for one column of a DataFrame repr (index shown, so `leading_space`):
 * every value as `{v: .6f}`, trailing zeros trimmed equally from all (`_trim_zeros_float`, one kept after the
 * point); `{v: .6e}` instead when a value is below 1e-6 or, with a value above 1e6, the widest text is longer
 * than 12. NaN is `NaN`, infinities `inf`.
 */
export function pandasFloatColumn(values: number[]): string[] {
  const fmt = (f: (x: number) => string): string[] => values.map((v) => (Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? ' inf' : '-inf') : (v < 0 || Object.is(v, -0) ? '' : ' ') + f(v)));
  const isDecimal = (t: string): boolean => /^\s*[+-]?[0-9]+\.[0-9]*$/.test(t);
  const trim = (texts: string[]): string[] => {
    let out = texts;
    const shouldTrim = (xs: string[]): boolean => {
      const nums = xs.filter(isDecimal);
      return nums.length > 0 && nums.every((t) => t.endsWith('0'));
    };
    while (shouldTrim(out)) out = out.map((t) => (isDecimal(t) ? t.slice(0, -1) : t));
    return out.map((t) => (isDecimal(t) && t.endsWith('.') ? `${t}0` : t));
  };
  let texts = trim(fmt((v) => pyFixed(v, 6)));
  const finite = values.filter((v) => Number.isFinite(v)).map(Math.abs);
  const tooLong = texts.length > 0 && maxOf(texts.map((t) => t.length)) > 12;
  const large = finite.some((v) => v > 1e6);
  const small = finite.some((v) => v > 0 && v < 1e-6);
  if (small || (tooLong && large)) texts = fmt((v) => pyExp(v, 6));
  return texts;
}

/** `_make_fixed_width` with display.max_colwidth 50: texts wider than that are cut to 47 characters + `...`. */
function fixedWidth(texts: string[], justify: 'left' | 'right', minimum = 0): string[] {
  if (texts.length === 0) return texts;
  let w = maxOf(texts.map(pyLen), minimum);
  if (w > MAX_COLWIDTH) w = MAX_COLWIDTH;
  return texts.map((t) => {
    const cut = pyLen(t) > w ? `${pyHead(t, w - 3)}...` : t;
    return justify === 'left' ? pyLjust(cut, w) : pyRjust(cut, w);
  });
}

/** pandas `trim_front`: strip leading spaces while every text has one. */
function trimFront(texts: string[]): string[] {
  let out = texts;
  while (out.length > 0 && out.every((t) => t.length > 0 && t[0] === ' ')) out = out.map((t) => t.slice(1));
  return out;
}

const numberOf = (v: Label): number => (v instanceof PyFloat ? v.value : typeof v === 'bigint' ? Number(v) : (v as number));

/**
 * `Index.format()` of labels of one dtype (`_format_with_header`): an object index prints each label with
 * `pprint_thing` (NaN as `NaN`); a numeric one goes through `format_array(values, justify="left")` — ints as
 * `{x: d}`, floats with the column formatter — then `trim_front`, so labels keep a common left-aligned width.
 */
function formatIndexLabels(labels: Label[], dtype: string): string[] {
  if (dtype === 'int64') return trimFront(fixedWidth(labels.map((v) => { const t = typeof v === 'bigint' ? v.toString() : String(numberOf(v)); return t.startsWith('-') ? t : ` ${t}`; }), 'left'));
  // justify="left" gives NaN the leading space of a positive number (`na_rep = " " + self.na_rep`)
  if (dtype === 'float64') return trimFront(fixedWidth(pandasFloatColumn(labels.map(numberOf)).map((t) => (t === 'NaN' ? ' NaN' : t)), 'left'));
  if (dtype === 'bool') return trimFront(fixedWidth(labels.map((v) => ` ${pyStr(v)}`), 'left'));
  return labels.map((v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : typeof v === 'string' ? escaped(v) : pprintThing(v)));
}

/**
 * One level of a MultiIndex as `MultiIndex.format(sparsify=False, adjoin=False)` prints it: the level's values
 * taken by code and formatted as an Index; a missing value (code -1) takes the level's last — largest — value
 * while formatting (numpy `take`) and is then replaced by `NaN`.
 */
function formatLevel(values: Label[], dtype: string): string[] {
  const missing = values.map((v) => typeof v === 'number' && Number.isNaN(v));
  if (dtype === 'object' || !missing.some(Boolean)) return formatIndexLabels(values, dtype);
  const present = values.filter((_, k) => !missing[k]);
  if (present.length === 0) return values.map(() => 'NaN');
  const last = present.reduce((a, b) => (numberOf(b) > numberOf(a) ? b : a));
  const texts = formatIndexLabels(values.map((v, k) => (missing[k] ? last : v)), dtype);
  return texts.map((t, k) => (missing[k] ? 'NaN' : t));
}

/** `sparsify_labels`: a level's label is blank where it and every level above repeat the previous column's. */
function sparsify(perColumn: string[][]): string[][] {
  return perColumn.map((labels, c) => {
    if (c === 0) return labels;
    const prev = perColumn[c - 1]!;
    const out: string[] = [];
    let same = true;
    labels.forEach((t, i) => {
      same = same && i < labels.length - 1 && prev[i] === t;
      out.push(same ? '' : t);
    });
    return out;
  });
}

/**
 * The levels of a MultiIndex's shown labels, formatted (`MultiIndex.format(sparsify=False)`): one text per label
 * and level. `cut`: the labels are what is left after truncation, a `concat` of two slices, and
 * `MultiIndex.append` rebuilds each level from its kept values (`_get_level_values`: `take_nd` fills a missing
 * value with NaN, which turns an int level float and a bool one object; an object level is re-inferred by
 * `Index._with_infer`, NaN counting as a float).
 */
function multiLevelTexts(tuples: PyTuple[], cut: boolean): string[][] {
  const nlevels = tuples[0]!.items.length;
  const levelDtype = (i: number, values: Label[]): string => {
    const original = tuples[0]!.levelDtypes?.[i] ?? 'object';
    if (!cut) return original;
    const missing = values.some((v) => typeof v === 'number' && Number.isNaN(v));
    if (original === 'int64') return missing ? 'float64' : 'int64';
    if (original === 'bool') return missing ? 'object' : 'bool';
    return original === 'float64' ? 'float64' : indexDtype(values);
  };
  return Array.from({ length: nlevels }, (_, i) => {
    const values = tuples.map((t) => t.items[i]!);
    return formatLevel(values, levelDtype(i, values));
  });
}

/**
 * Header lines of the shown columns (`_get_formatted_column_labels`). A flat Index gets a leading space over
 * numeric columns — looked up by label text in a dict built from the *whole* frame's dtypes zipped with the
 * shown labels (pandas 1.5 pairs them positionally, so after horizontal truncation the right-hand columns
 * take the dtypes of the left-hand ones). A MultiIndex never does: `restrict_formatting` tests the bound
 * method `level.is_floating`, always truthy.
 */
function headerLines(shown: Column[], all: Column[]): string[][] {
  const multi = shown.length > 0 && shown.every((c) => c.name instanceof PyTuple);
  if (multi) {
    const levels = multiLevelTexts(shown.map((c) => c.name as PyTuple), shown.length < all.length);
    return sparsify(shown.map((_, c) => levels.map((lv) => lv[c]!)));
  }
  const names = shown.map((c) => c.name);
  const texts = formatIndexLabels(names, indexDtype(names));
  const leading = new Map<string, boolean>();
  texts.forEach((t, k) => { if (k < all.length) leading.set(t, /^(u?int|float|bool|complex)/.test(all[k]!.dtype)); });
  return texts.map((t) => [leading.get(t) ? ` ${t}` : t]);
}

/** `format_col` of one column: the cells of the shown rows, before justification. */
function columnCells(c: Column, rows: number[]): string[] {
  const numeric = /^(u?int|float|bool)/.test(c.dtype);
  if (c.dtype.startsWith('float') && rows.every((r) => typeof c.values[r] === 'number')) return pandasFloatColumn(rows.map((r) => c.values[r] as number));
  if (c.dtype === 'datetime64[ns]') return datetimeColumn(rows.map((r) => c.values[r]!));
  return rows.map((r) => {
    const v = c.values[r]!;
    if (!numeric && isPyFloatCell(v)) return objectFloat(v instanceof PyFloat ? v.value : (v as number));
    const t = cellText(v, c.dtype);
    return numeric && t.startsWith('-') ? t : ` ${t}`;
  });
}

/** A Python float in an object column (integral floats are boxed; NaN is missing, not a float, to pandas). */
const isPyFloatCell = (v: Cell): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v) && !Number.isNaN(v));

/**
 * pandas 1.5 `GenericArrayFormatter._format_strings`: a float in an object column is
 * `_trim_zeros_single_float(f"{x: .6f}")` — the sign's place (so -0.0 and negatives have no leading space).
 */
function objectFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? ' nan' : x > 0 ? ' inf' : '-inf';
  const t = pyFixed(x, 6).replace(/0+$/, '');
  return (x < 0 || Object.is(x, -0) ? '' : ' ') + (t.endsWith('.') ? `${t}0` : t);
}

const NS_PER_DAY = 86_400_000_000_000n;
const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

/**
 * A datetime64[ns] column as pandas 1.5 prints it (`Datetime64Formatter` → `DatetimeArray._format_native_types`,
 * `tslib.format_array_from_datetime`), without the leading space of object/number cells: every shown value at
 * midnight → `YYYY-MM-DD` (`is_dates_only`); else `YYYY-MM-DD HH:MM:SS` plus the fraction digits the finest value
 * needs, for all values alike (`get_resolution`: 3, 6 or 9 digits); NaT as `NaT`.
 */
function datetimeColumn(values: Cell[]): string[] {
  const stamps = values.filter((v): v is Timestamp => v instanceof Timestamp);
  const datesOnly = stamps.every((t) => mod(t.ns, NS_PER_DAY) === 0n);
  let digits = 0;
  for (const t of stamps) {
    const frac = mod(t.ns, 1_000_000_000n);
    digits = Math.max(digits, frac % 1000n !== 0n ? 9 : frac % 1_000_000n !== 0n ? 6 : frac !== 0n ? 3 : 0);
  }
  return values.map((v) => {
    if (!(v instanceof Timestamp)) return 'NaT';
    const base = v.iso(' ').slice(0, 19);
    if (datesOnly) return base.slice(0, 10);
    return digits === 0 ? base : `${base}.${mod(v.ns, 1_000_000_000n).toString().padStart(9, '0').slice(0, digits)}`;
  });
}

/**
 * The index labels of the shown rows (`_get_formatted_index`), left-justified. A row MultiIndex is
 * `MultiIndex.format(sparsify=True, adjoin=False, names=False)` — each level formatted as an Index, a label
 * blanked where it and every level to its left repeat the row above (the last level never is) — then each
 * level `_make_fixed_width(justify="left")` and the levels joined by `adjoin(1, …)`.
 */
function indexCells(f: Frame, rows: number[]): string[] {
  const index = f.index;
  if (index === undefined) {
    // a RangeIndex prints `f"{x:<{width}}"`; once cut to head + tail it is an Int64Index of non-negative ints
    return fixedWidth(rows.map(String), 'left');
  }
  if (index.dtype === 'multi') {
    const tuples = rows.map((r) => index.values[r] as PyTuple);
    const levels = multiLevelTexts(tuples, rows.length < f.nrows);
    const sparse = sparsify(rows.map((_, k) => levels.map((lv) => lv[k]!)));
    const columns = levels.map((_, i) => fixedWidth(sparse.map((labels) => labels[i]!), 'left'));
    const widths = columns.map((c, i) => (i < columns.length - 1 ? maxOf(c.map(pyLen)) + 1 : 0));
    return rows.map((_, k) => columns.map((c, i) => pyLjust(c[k]!, widths[i]!)).join(''));
  }
  const labels = rows.map((r) => index.values[r] as Label);
  // cut to head + tail, an object Index is `concat`ed: `Index._concat` re-infers it (`_with_infer`), so the
  // kept labels [1, 2.5] of [1, "s", …, 2.5] print as floats
  const kept = rows.length < f.nrows && index.dtype === 'object' ? flatIndexDtype(labels) : index.dtype;
  const dtype = ['int64', 'float64', 'bool'].includes(kept) ? kept : 'object';
  return fixedWidth(formatIndexLabels(labels.map((v) => (v === null && dtype !== 'object' ? NaN : v)), dtype), 'left');
}

interface StrCol {
  lines: string[];
  width: number;
}

function strCols(f: Frame, cols: number[], rows: number[], nlevels: number): StrCol[] {
  const idx = indexCells(f, rows);
  const idxW = maxOf(idx.map(pyLen), 0);
  const out: StrCol[] = [{ lines: [...Array<string>(nlevels).fill(''), ...idx].map((t) => pyLjust(t, idxW)), width: idxW }];
  const shown = cols.map((k) => f.columns[k]!);
  const heads = headerLines(shown, f.columns);
  shown.forEach((c, k) => {
    const head = heads[k]!;
    const headW = maxOf(head.map(pyLen));
    // `_to_str_columns`: the values are made fixed-width with the header's width as the minimum but display.max_colwidth
    // (50) as the cap, and only the header is justified to the wider of the two — under a header wider than 50 the
    // values stay 50 wide (adjoin then pads them on the right), and the `...` row is justified to that width
    // (`_insert_dot_separator_vertical` measures `col[row_num]`, a value)
    const cells = fixedWidth(columnCells(c, rows), 'right', headW);
    const w = maxOf(cells.map(pyLen), headW);
    out.push({ lines: [...head.map((t) => pyRjust(t, w)), ...cells], width: cells.length > 0 ? pyLen(cells[0]!) : w });
  });
  return out;
}

/** `_insert_dot_separators`: a ` ...` column after the left half, then a `..`/`...` row after the head rows. */
function withDots(cols: StrCol[], nlevels: number, leftCols: number | null, rowNum: number | null): StrCol[] {
  const out = cols.map((c) => ({ lines: [...c.lines], width: c.width }));
  if (leftCols !== null) out.splice(leftCols + 1, 0, { lines: out[0]!.lines.map(() => ' ...'), width: 4 });
  if (rowNum !== null) {
    out.forEach((c, ix) => {
      const isDots = leftCols !== null && ix === leftCols + 1;
      const dots = c.width > 3 || isDots ? '...' : '..';
      // pandas 1.5.3 justifies the dot column's own entry to width 4 (` ...`)
      c.lines.splice(rowNum + nlevels, 0, ix === 0 ? dots.padEnd(c.width) : dots.padStart(isDots ? 4 : c.width));
    });
  }
  return out;
}

const adjoin = (cols: StrCol[]): string => {
  const n = maxOf(cols.map((c) => c.lines.length));
  const widths = cols.map((c) => maxOf(c.lines.map(pyLen), 0));
  const lines: string[] = [];
  // pandas `adjoin`: every column left-justified to its widest line (+1 space but the last), the last one included
  for (let r = 0; r < n; r++) lines.push(cols.map((c, k) => pyLjust(c.lines[r] ?? '', k < cols.length - 1 ? widths[k]! + 1 : widths[k]!)).join(''));
  return lines.join('\n');
};

/** Python's `round()`: halves go to the even neighbour. */
const pyRound = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** pandas `pprint_thing`: strings as they are, tuples as `(a, b)` and lists as `[a, b]` of pprinted items, NaN as `nan`. */
function pprintThing(v: Label | Cell): string {
  if (v instanceof PyTuple) return `(${v.items.map(pprintThing).join(', ')}${v.items.length === 1 ? ',' : ''})`;
  if (Array.isArray(v)) return `[${v.map(pprintThing).join(', ')}]`;
  if (typeof v === 'string') return v;
  return pyStr(v as Label);
}

/** `pprint_thing(Index)` of an empty frame's labels: `[a, b]`, at most display.max_seq_items (100) of them. */
const pprintLabels = (labels: (Label | Cell)[]): string => `[${labels.slice(0, 100).map(pprintThing).join(', ')}${labels.length > 100 ? ', ...' : ''}]`;

/**
 * How many of the columns `lens` (their widths, the index first) pandas keeps in `_fit_strcols_to_terminal_width`:
 * while the adjoined width passes the terminal's, it drops the column at `round(len / 2)`. pandas deletes one
 * at a time (quadratic: 500 000 columns would take minutes here); the dropped ones always form one block in the
 * middle — the one at round(len / 2) is the block's right or left neighbour — so the block's two edges are
 * moved instead (checked against the one-at-a-time loop for every count up to 3 000 in frame-repr.test.ts).
 */
export function keptAfterFitting(lens: readonly number[]): number {
  let adjDif = lens.reduce((a, w) => a + w, 0) + lens.length - 1 - TERMINAL_WIDTH + 1;
  let n = lens.length;
  // kept: lens[0, left) and lens[right, lens.length)
  let left = pyRound(n / 2);
  let right = left;
  while (adjDif > 0 && n > 1) {
    const mid = pyRound(n / 2);
    // position `mid` of the kept list: lens[mid] while mid < left, else lens[right + mid - left]
    if (mid === left) adjDif -= lens[right++]! + 1;
    else if (mid === left - 1) adjDif -= lens[--left]! + 1;
    else throw new Error(`keptAfterFitting: column ${mid} of ${n} is not next to the dropped block [${left}, ${right})`);
    n--;
  }
  return n;
}

/** pandas 1.5 `str(DataFrame)` with a scoring server's display options (module comment). */
export function frameStr(f: Frame): string {
  // `_is_screen_narrow`: more columns than the terminal is wide (max_columns 0) cuts the frame to 40 + 40 first
  const narrow = f.columns.length > TERMINAL_WIDTH;
  const footer = `\n\n[${f.nrows} rows x ${f.columns.length} columns]`;
  if (f.columns.length === 0 || f.nrows === 0) {
    const index = f.index ? f.index.values : Array.from({ length: f.nrows }, (_, k) => k);
    // the dimensions follow whenever the frame was cut (show_dimensions "truncate"), empty or not
    return `Empty DataFrame\nColumns: ${pprintLabels(f.columns.map((c) => c.name))}\nIndex: ${pprintLabels(index)}${narrow || f.nrows > MAX_ROWS ? footer : ''}`;
  }
  const nlevels = f.columns.every((c) => c.name instanceof PyTuple) ? (f.columns[0]!.name as PyTuple).items.length : 1;
  // vertical truncation (`_truncate_vertically`): beyond max_rows, min_rows rows — half from each end
  const cutRows = f.nrows > MAX_ROWS;
  const half = MIN_ROWS / 2;
  const rows = cutRows ? [...Array.from({ length: half }, (_, k) => k), ...Array.from({ length: half }, (_, k) => f.nrows - half + k)] : Array.from({ length: f.nrows }, (_, k) => k);
  const rowNum = cutRows ? half : null;
  const all = f.columns.map((_, k) => k);
  // the first pass formats what `_truncate_horizontally` left: every column, or (narrow) the first and last
  // 40 with the dot column between them — pandas never formats the rest, so neither does this
  const halfCols = TERMINAL_WIDTH / 2;
  const first = narrow
    ? withDots(strCols(f, [...all.slice(0, halfCols), ...all.slice(all.length - halfCols)], rows, nlevels), nlevels, halfCols, rowNum)
    : withDots(strCols(f, all, rows, nlevels), nlevels, null, rowNum);
  // `_fit_strcols_to_terminal_width`: drop the middle column (Python's round) until the width fits, index included
  // widths of the lines as adjoined: a dot row can be wider than its column (`..` under row labels all "")
  const lens = first.map((c) => c.lines.reduce((w, t) => Math.max(w, pyLen(t)), 0));
  const fitted = Math.max(keptAfterFitting(lens) - 1, 2);
  const cutCols = f.columns.length > fitted;
  let text: string;
  if (!cutCols) text = adjoin(first);
  else {
    const colNum = Math.floor(fitted / 2);
    const shown = [...all.slice(0, colNum), ...all.slice(all.length - colNum)];
    text = adjoin(withDots(strCols(f, shown, rows, nlevels), nlevels, colNum, rowNum));
  }
  if (cutRows || cutCols) text += footer;
  return text;
}
