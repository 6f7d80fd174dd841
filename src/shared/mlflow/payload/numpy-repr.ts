/**
 * `str()` and `repr()` of a numpy array as numpy 1.24 prints them (`numpy/core/arrayprint.py`: `array2string`,
 * `_formatArray`, `FloatingFormat`, `IntegerFormat`, `BoolFormat`), for the 2.12 messages that embed the input:
 * "Failed to predict data '[[6.3  ]\n [7.325]]'", "{'age': array([-0.9847 ,  0.95411]), …}" (docs/fidelity.md).
 * Defaults: precision 8, floatmode 'maxprec', sign '-', linewidth 75, threshold 1000 and edgeitems 3 (an array of
 * more than 1 000 elements prints only the first and last 3 of every axis longer than 6, with '...' between, and its
 * format — widths, notation — comes from those shown elements alone: `_leading_trailing`), legacy off.
 */
import { pyLen } from './py-text-width';
import { pyShape, type Cell, type NdArray } from './frame';
import { PyFloat } from './py-json';
import { pyRepr, pyStrRepr } from './py-repr';

const LINEWIDTH = 75;
const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** The largest of `init` and `xs` (a loop: spreading a large array into Math.max overflows the call stack). */
function maxOf(init: number, xs: readonly number[]): number {
  let m = init;
  for (const x of xs) if (x > m) m = x;
  return m;
}

const numOf = (c: Cell): number => (c instanceof PyFloat ? c.value : typeof c === 'bigint' ? Number(c) : typeof c === 'number' ? c : typeof c === 'boolean' ? Number(c) : NaN);

/**
 * `a.toExponential(digits)`, but a tie rounds to the even digit as numpy's Dragon4 does (JavaScript rounds it up):
 * 513/512 = 1.001953125 at 8 digits is 1.00195312e+00. A tie needs the exact value to end at the cut, so its
 * first 100 digits (all of it, then) show it.
 */
function exactExponential(a: number, digits: number): string {
  const rounded = a.toExponential(digits);
  if (digits >= 100) return rounded;
  const exact = a.toExponential(100);
  const [mant, exp] = exact.split('e') as [string, string];
  const all = mant.replace('.', '');
  const rest = all.slice(digits + 1);
  if (!/^50*$/.test(rest) || Number(all[digits]) % 2 === 1) return rounded;
  // a tie, and the kept last digit is even: cut instead of rounding up
  const kept = all.slice(0, digits + 1);
  return `${kept[0]}${digits > 0 ? `.${kept.slice(1)}` : ''}e${Number(exp) < 0 ? '' : '+'}${Number(exp)}`;
}

/** `a.toFixed(digits)` with a tie rounded to the even digit, as Dragon4 rounds (see exactExponential). */
function exactFixed(a: number, digits: number): string {
  const rounded = a.toFixed(digits);
  if (digits >= 100 || a >= 1e21) return rounded;
  const exact = a.toFixed(100);
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + digits);
  const last = digits === 0 ? exact[dot - 1]! : exact[dot + digits]!;
  if (!/^50*$/.test(rest) || Number(last) % 2 === 1) return rounded;
  return digits === 0 ? exact.slice(0, dot) : exact.slice(0, dot + 1 + digits);
}

/** Shortest digits that read back as the same float32 (numpy's unique repr of a float32 scalar). */
function shortestF32(x: number, exponential: boolean): string {
  for (let p = 1; p <= 9; p++) {
    // Dragon4 breaks a tie at the last digit to the even one (float32 373736.625 → 373736.62)
    const s = exactExponential(x, p - 1);
    if (Math.fround(Number(s)) === x) return exponential ? s : String(Number(s));
  }
  return exponential ? x.toExponential(8) : String(x);
}

/** Plain decimal digits of |x| (no exponent), shortest unique (float32 aware), capped at PRECISION fraction digits. */
function positional(x: number, f32: boolean): string {
  const a = Math.abs(x);
  let s = f32 ? shortestF32(a, false) : String(a);
  if (/e/.test(s)) s = a.toFixed(Math.min(100, Math.max(0, -Math.floor(Math.log10(a)) + 20))).replace(/0+$/, '');
  const dot = s.indexOf('.');
  if (dot >= 0 && s.length - dot - 1 > PRECISION) s = exactFixed(a, PRECISION).replace(/0+$/, '');
  if (!s.includes('.')) s += '.';
  return (x < 0 || Object.is(x, -0) ? '-' : '') + s;
}

/** `d.ddde±XX` of x, shortest unique capped at PRECISION fraction digits; mantissa trimmed to `d.` when whole. */
function scientific(x: number, f32: boolean): { mant: string; exp: string } {
  const a = Math.abs(x);
  let s = f32 ? shortestF32(a, true) : a.toExponential();
  let [m, e] = s.split('e') as [string, string];
  if ((m.split('.')[1] ?? '').length > PRECISION) {
    [m, e] = exactExponential(a, PRECISION).split('e') as [string, string];
    m = m.replace(/0+$/, '');
  }
  if (!m.includes('.')) m += '.';
  s = (x < 0 || Object.is(x, -0) ? '-' : '') + m;
  return { mant: s, exp: e };
}

/** FloatingFormat.fillFormat + __call__: every element's text, padded as numpy pads them. */
function floatTexts(values: number[], f32: boolean): string[] {
  const finite = values.filter((v) => Number.isFinite(v));
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  let expFormat = false;
  if (nonZero.length > 0) {
    const max = maxOf(-Infinity, nonZero);
    const min = nonZero.reduce((m, v) => (v < m ? v : m), Infinity);
    expFormat = max >= 1e8 || min < 0.0001 || max / min > 1000;
  }
  const special = (v: number): string => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (finite.length === 0) return values.map(special);
  if (!expFormat) {
    const parts = finite.map((v) => positional(v, f32).split('.') as [string, string]);
    let padLeft = maxOf(-Infinity, parts.map(([i]) => i.length));
    const padRight = maxOf(-Infinity, parts.map(([, f]) => f.length));
    if (finite.length !== values.length) padLeft = Math.max(padLeft, 3 - (padRight + 1), 3 + (values.some((v) => v === -Infinity) ? 1 : 0) - (padRight + 1));
    return values.map((v) => {
      if (!Number.isFinite(v)) return special(v).padStart(padLeft + padRight + 1);
      const [i, f] = positional(v, f32).split('.') as [string, string];
      return `${i.padStart(padLeft)}.${f.padEnd(padRight)}`;
    });
  }
  const sci = finite.map((v) => scientific(v, f32));
  const expDigits = maxOf(2, sci.map((s) => s.exp.replace(/^[-+]/, '').length));
  const precision = maxOf(-Infinity, sci.map((s) => (s.mant.split('.')[1] ?? '').length));
  const padLeft = maxOf(-Infinity, sci.map((s) => s.mant.split('.')[0]!.length));
  const padRight = expDigits + 2 + precision;
  return values.map((v) => {
    if (!Number.isFinite(v)) return special(v).padStart(padLeft + padRight + 1);
    // fillFormat sets min_digits = precision: past its shortest digits, an element prints the digits of its exact
    // value (a float32 0.0003 is 3.0000001e-04 at 7 digits, not 3.0000000e-04), rounded as Dragon4 rounds
    const [m, exp] = exactExponential(Math.abs(v), precision).split('e') as [string, string];
    const [i, f] = (v < 0 || Object.is(v, -0) ? `-${m}` : m).split('.') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${i.padStart(padLeft)}.${(f ?? '').padEnd(precision, '0')}e${sign}${exp.replace(/^[-+]/, '').padStart(expDigits, '0')}`;
  });
}

const isStrDtype = (dt: string): boolean => /^(str|<U\d*|U\d*|unicode|string)$/.test(dt);

/** The text of each of `cells` (the elements shown), as the format function numpy picks from them prints it. */
function elementTexts(cells: Cell[], dt: string, zeroDim: boolean): string[] {
  if (/^float/.test(dt)) return floatTexts(cells.map(numOf), dt === 'float32');
  if (/^u?int/.test(dt)) {
    const t = cells.map((c) => String(typeof c === 'bigint' ? c : Math.trunc(numOf(c))));
    const w = maxOf(0, t.map((x) => x.length));
    return t.map((x) => x.padStart(w));
  }
  if (dt === 'bool') return cells.map((c) => (c === true ? (zeroDim ? 'True' : ' True') : 'False'));
  if (isStrDtype(dt)) return cells.map((c) => pyStrRepr(typeof c === 'string' ? c : pyRepr(c)));
  return cells.map((c) => (Array.isArray(c) ? `list(${pyRepr(c)})` : pyRepr(c)));
}

/** Whether numpy summarises the array (`a.size > threshold`). */
const summarised = (a: NdArray): boolean => a.data.length > THRESHOLD;

/** Row-major strides of `shape`, in elements. */
const stridesOf = (shape: number[]): number[] => shape.map((_, k) => shape.slice(k + 1).reduce((x, y) => x * y, 1));

/** The positions shown along an axis of length n: all, or the first and last EDGE_ITEMS when summarised. */
const shownAlong = (n: number, summary: boolean): number[] =>
  summary && n > 2 * EDGE_ITEMS ? [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)] : Array.from({ length: n }, (_, i) => i);

/** Text by flat offset of every element shown (`_leading_trailing`), formatted together. */
function shownTexts(a: NdArray, summary: boolean, strides: number[]): Map<number, string> {
  const offsets: number[] = [];
  const walk = (offset: number, axis: number): void => {
    if (axis === a.shape.length) {
      offsets.push(offset);
      return;
    }
    for (const i of shownAlong(a.shape[axis]!, summary)) walk(offset + i * strides[axis]!, axis + 1);
  };
  walk(0, 0);
  const texts = elementTexts(offsets.map((o) => a.data[o]!), a.dtype, a.shape.length === 0);
  return new Map(offsets.map((o, k) => [o, texts[k]!]));
}

/** `_extendLine`: wrap before `word` when the line would pass `width` (unless wrapping cannot help). */
function extendLine(s: string, line: string, word: string, width: number, nextPrefix: string): [string, string] {
  // numpy measures with len(): code points (an emoji in a str element is one)
  const needsWrap = pyLen(line) + pyLen(word) > width && pyLen(line) > pyLen(nextPrefix);
  if (needsWrap) {
    s += line.trimEnd() + '\n';
    line = nextPrefix;
  }
  return [s, line + word];
}

/**
 * `_formatArray`: nested brackets, rows wrapped at the line width, blank lines between blocks; when summarised,
 * each axis longer than 2×edgeitems shows its first and last items with `...` between (on the row, or as a row).
 */
function formatArray(a: NdArray, separator: string, nextLinePrefix: string, lineWidth: number): string {
  const { shape } = a;
  const summary = summarised(a);
  const strides = stridesOf(shape);
  const texts = shownTexts(a, summary, strides);
  if (shape.length === 0) return texts.get(0) ?? '';
  const recurse = (offset: number, axis: number, hanging: string, width: number): string => {
    if (axis === shape.length) return texts.get(offset)!;
    const nextHanging = hanging + ' ';
    const nextWidth = width - 1;
    const n = shape[axis]!;
    const showSummary = summary && 2 * EDGE_ITEMS < n;
    const leading = showSummary ? EDGE_ITEMS : 0;
    const trailing = showSummary ? EDGE_ITEMS : n;
    const item = (i: number): string => recurse(offset + i * strides[axis]!, axis + 1, nextHanging, nextWidth);
    const axesLeft = shape.length - axis;
    let s = '';
    if (axesLeft === 1) {
      const elemWidth = width - Math.max(separator.trimEnd().length, 1);
      let line = hanging;
      for (let i = 0; i < leading; i++) {
        [s, line] = extendLine(s, line, item(i), elemWidth, hanging);
        line += separator;
      }
      if (showSummary) {
        [s, line] = extendLine(s, line, '...', elemWidth, hanging);
        line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        [s, line] = extendLine(s, line, item(n - i), elemWidth, hanging);
        line += separator;
      }
      if (n > 0) [s, line] = extendLine(s, line, item(n - 1), elemWidth, hanging);
      s += line;
    } else {
      const lineSep = separator.trimEnd() + '\n'.repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hanging + item(i) + lineSep;
      if (showSummary) s += hanging + '...' + lineSep;
      for (let i = trailing; i > 1; i--) s += hanging + item(n - i) + lineSep;
      if (n > 0) s += hanging + item(n - 1);
    }
    return '[' + s.slice(hanging.length) + ']';
  };
  return recurse(0, 0, nextLinePrefix, lineWidth);
}

/**
 * `str()`/`repr()` of a numpy scalar (also `str()` of a 0-d array, which prints its item): Python's own repr
 * for float64/int/bool (`1.0`, `1e+20`, `nan`), the shortest float32 digits in the same layout (`0.1`), a
 * str_ as itself (str) or quoted (repr). numpy 1.24 `scalartypes.c` / `Dragon4` with legacy off.
 */
function scalarText(a: NdArray, repr: boolean): string {
  const c = a.data[0] ?? null;
  const dt = a.dtype;
  if (/^float/.test(dt)) {
    const x = numOf(c);
    if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
    if (dt !== 'float32') return pyRepr(new PyFloat(x));
    const a32 = Math.abs(x);
    // CPython's repr layout (float_repr_style 'short'): positional for 1e-4 <= |x| < 1e16, else d.ddde±XX
    if (a32 !== 0 && (a32 < 1e-4 || a32 >= 1e16)) {
      const [m, e] = shortestF32(a32, true).split('e') as [string, string];
      const exp = Number(e);
      return `${x < 0 ? '-' : ''}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    }
    const t = shortestF32(a32, false);
    return `${x < 0 || Object.is(x, -0) ? '-' : ''}${t.includes('.') ? t : `${t}.0`}`;
  }
  if (isStrDtype(dt)) return repr ? pyStrRepr(typeof c === 'string' ? c : pyRepr(c)) : typeof c === 'string' ? c : pyRepr(c);
  return pyRepr(c);
}

/** `str(ndarray)`. */
export function ndarrayStr(a: NdArray): string {
  if (a.shape.length === 0) return scalarText(a, false);
  // numpy 1.24 `array2string`: an array with no element prints "[]" whatever its shape ((1, 0) too)
  if (a.data.length === 0) return '[]';
  return formatArray(a, ' ', ' ', LINEWIDTH);
}

/** numpy's dtype suffix of a repr, or '' for the defaults (float64, int64, bool). */
function dtypeSuffix(a: NdArray): string {
  const dt = a.dtype;
  if (dt === 'float64' || dt === 'int64' || dt === 'bool') return '';
  if (isStrDtype(dt)) {
    const w = /\d+/.exec(dt)?.[0] ?? String(maxOf(0, a.data.map((c) => [...(typeof c === 'string' ? c : pyRepr(c))].length)));
    return `, dtype='<U${w}'`;
  }
  return `, dtype=${dt}`;
}

/** `repr(ndarray)`: `array([...], dtype=...)`. */
export function ndarrayRepr(a: NdArray): string {
  if (a.scalar) return scalarText(a, true);
  // `_array_repr_implementation`: an empty array always names its dtype, and its shape unless it is (0,)
  if (a.data.length === 0 && a.shape.length > 0) return `array([]${a.shape.length === 1 ? '' : `, shape=${pyShape(a.shape)}`}${dtypeSuffix(a) || `, dtype=${a.dtype}`})`;
  // `_array_repr_implementation`: the elements are wrapped for the suffix ')' — or ',' when a dtype follows
  // (array2string takes len(suffix) off the line width); the `dtype=…)` then goes on a line of its own, under
  // the first bracket, when it would take the last line past the line width.
  const dtypeText = dtypeSuffix(a).slice(', '.length);
  const body = 'array(' + formatArray(a, ', ', ' '.repeat('array('.length + 1), LINEWIDTH - 1);
  if (dtypeText === '') return body + ')';
  const lastLine = pyLen(body.slice(body.lastIndexOf('\n') + 1)) + 1;
  return body + ',' + (lastLine + dtypeText.length + 2 > LINEWIDTH ? '\n' + ' '.repeat('array('.length) : ' ') + dtypeText + ')';
}
