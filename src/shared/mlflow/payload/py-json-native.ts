/**
 * The engine's own JSON.parse as a fast path for `parsePyJson`: native parsing is several times faster
 * than any character loop JavaScript can run (V8's charCodeAt alone costs ~2 ns per character, the
 * whole of JSON.parse ~3), and scoring bodies are large (a 10 000-row request is 2 MB of numbers).
 *
 * JSON.parse gives the same values as Python's `json.loads` for valid JSON except in four places,
 * each detected here; whenever one applies (or JSON.parse refuses the text) the answer is `undefined`
 * and the caller runs the full Python-exact parser, which also produces CPython's error texts:
 *  - ints and floats: JSON.parse loses `1` vs `1.0` and the digits of big ints. A non-integral value
 *    can only come from a float literal, so only integral values are in doubt, and they are floats
 *    (PyFloat) exactly when the text holds no int literal at all, which INT_TOKEN checks;
 *  - key order: a JS object lists integer-like keys ("0", "7") first, Python keeps insertion order;
 *  - NaN / Infinity / -Infinity: Python accepts them, JSON.parse throws (→ full parser);
 *  - nesting deeper than Python's recursion limit: CPython raises RecursionError.
 * Duplicate keys agree (first position, last value), as do strings, escapes and lone surrogates.
 */
import { PyFloat, type PyDict, type PyValue } from './py-json';

/**
 * An int literal: digits (optionally after '-') between a delimiter and a delimiter, with no '.' or
 * exponent. Text inside strings can match too; that only sends the body to the full parser.
 */
const INT_TOKEN = /[[,:][ \t\n\r]*-?\d+[ \t\n\r]*[,\]}]/;
/** Bodies with ints usually show one early: look at a prefix first, so they skip JSON.parse cheaply. */
const PROBE_CHARS = 4096;
/**
 * Below this length the prefix is not probed: JSON.parse of a short body costs about what the probe does, and a body
 * of floats (one row of a split frame) then pays for no scan at all; ints are still caught after the parse.
 */
const PROBE_FROM = 1024;

/** The walk recurses; deeper values (only with maxDepth raised past Python's) go to the iterative parser. */
const RECURSION_LIMIT = 1000;

/** True when the key is an array index, which a JS object would move to the front. */
function isIndexKey(k: string): boolean {
  const c = k.charCodeAt(0);
  if (!(c >= 0x30 && c <= 0x39) || k.length > 10) return false;
  if (k.length > 1 && c === 0x30) return false;
  for (let p = 1; p < k.length; p++) {
    const d = k.charCodeAt(p);
    if (d < 0x30 || d > 0x39) return false;
  }
  return Number(k) < 4294967295;
}

/** Set when the walk meets something it cannot convert faithfully. */
class Unsure {
  integral = false;
  failed = false;
}

/**
 * Checks the leading run of numbers of an array (a row of a split frame or tensor: all of it) and
 * returns where the run ends. A function of its own so its element loads stay monomorphic on
 * double arrays and never box a number. `x - Math.trunc(x) === 0` is Number.isInteger, -0 included (NaN and
 * ±Infinity give NaN), so every integral float becomes a PyFloat; `%` would be a C call per number.
 * ±Infinity stays a plain number (a float, as the full parser gives for 1e400) but counts as integral: JSON.parse
 * makes it of a literal past 1.8e308, which may be a huge *int* (a bigint in Python, or the 4 300-digit error), so an
 * int literal anywhere in the text sends it to the full parser.
 */
function numberRun(a: unknown[], from: number, state: Unsure): number {
  const n = a.length;
  let k = from;
  for (; k < n; k++) {
    const x = a[k];
    if (typeof x !== 'number') break;
    const f = x - Math.trunc(x);
    if (f === 0) {
      state.integral = true;
      a[k] = new PyFloat(x);
    } else if (f !== f) state.integral = true; // ±Infinity: see above
  }
  return k;
}

/**
 * True when every element is a non-integral number (a row of floats, as split frames and tensors
 * send them): such a row needs no conversion, not even a call to convert. Two things keep this cheap
 * on JSON.parse's double arrays, and both were measured (10 000 × 10 rows: 1.5 ms → ~0.05 ms):
 * it only reads (a loop that may also store, like numberRun, costs ~5 ns more per element), and it is
 * only called on the elements of an array, i.e. on rows, so its element load stays monomorphic on
 * double arrays. Called on the outer array too, the load would also see object arrays and box every
 * double it reads into a heap number.
 */
function plainFloats(a: unknown[]): boolean {
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    if (typeof x !== 'number') return false;
    const f = x - Math.trunc(x);
    if (f === 0 || f !== f) return false;
  }
  return true;
}

/** Converts JSON.parse's value in place (arrays are reused) into the PyValue model. */
function convert(v: unknown, depth: number, maxDepth: number, state: Unsure): PyValue {
  if (typeof v === 'number') {
    const f = v - Math.trunc(v);
    if (f === 0) {
      state.integral = true;
      return new PyFloat(v);
    }
    if (f !== f) state.integral = true; // ±Infinity (numberRun)
    return v;
  }
  if (v === null || typeof v !== 'object') return v as PyValue;
  if (depth >= maxDepth || depth >= RECURSION_LIMIT) {
    state.failed = true;
    return null;
  }
  if (Array.isArray(v)) {
    const a = v as unknown[];
    // Rows one level down (a split frame's data) are checked here, not in a call to convert each:
    // the depth limits still apply to them, so the shortcut is only taken where convert would pass.
    const rowsAllowed = depth + 1 < maxDepth && depth + 1 < RECURSION_LIMIT;
    for (let k = typeof a[0] === 'number' ? numberRun(a, 0, state) : 0; k < a.length; k++) {
      const x = a[k];
      // Plain non-integral numbers and strings stay as they are (the common case: no store at all).
      if (typeof x === 'number') {
        const f = x - Math.trunc(x);
        if (f === 0) {
          state.integral = true;
          a[k] = new PyFloat(x);
        } else if (f !== f) state.integral = true; // ±Infinity (numberRun)
      } else if (x !== null && typeof x === 'object') {
        if (rowsAllowed && Array.isArray(x) && plainFloats(x)) continue;
        // Arrays are converted in place: storing them back would only cost a write barrier per row.
        const y = convert(x, depth + 1, maxDepth, state);
        if (state.failed) return null;
        if (y !== x) a[k] = y;
      }
    }
    return a as PyValue[];
  }
  const o = v as Record<string, unknown>;
  const map: PyDict = new Map();
  for (const key of Object.keys(o)) {
    if (isIndexKey(key)) {
      state.failed = true;
      return null;
    }
    map.set(key, convert(o[key], depth + 1, maxDepth, state));
    if (state.failed) return null;
  }
  return map;
}

/**
 * `json.loads(text)` through JSON.parse, or undefined when that cannot be proved equal (the caller
 * then parses with the full parser). Only objects and arrays at the top are tried: scalars are short.
 */
export function parseViaNative(text: string, maxDepth: number): PyValue | undefined {
  let s = 0;
  while (s < text.length) {
    const c = text.charCodeAt(s);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    s++;
  }
  const first = text.charCodeAt(s);
  if (first !== 0x7b && first !== 0x5b) return undefined;
  const probed = text.length >= PROBE_FROM;
  if (probed && INT_TOKEN.test(text.length > PROBE_CHARS ? text.slice(0, PROBE_CHARS) : text)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const state = new Unsure();
  const value = convert(raw, 0, maxDepth, state);
  if (state.failed) return undefined;
  // Integral values are floats (PyFloat) only if no int literal exists anywhere in the text (the probe saw all of a
  // body up to PROBE_CHARS long; a short one it skipped is scanned here, only when it holds an integral value).
  if (state.integral && (!probed || text.length > PROBE_CHARS) && INT_TOKEN.test(text)) return undefined;
  return value;
}
