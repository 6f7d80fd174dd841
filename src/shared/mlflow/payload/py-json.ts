/**
 * JSON as Python's `json.loads` sees it (the servers are Python, payloads.md §3–4): ints and floats stay
 * apart (`1` is an int, `1.0` a float), ints keep every digit, objects keep key order (including
 * integer-like keys, which a JS object would reorder), duplicate keys keep the first position and the
 * last value, and `NaN` / `Infinity` / `-Infinity` are accepted. Error texts copy CPython's
 * `JSONDecodeError` ("Expecting value: line 1 column 1 (char 0)").
 *
 * The parser is iterative (an explicit stack), so deep nesting cannot overflow the JS stack, and it
 * touches each character a constant number of times, so time is linear in the body size.
 *
 * Bodies are first offered to the engine's JSON.parse (py-json-native.ts), which is used only when its
 * result provably equals this parser's; everything else — any int literal, integer-like
 * keys, NaN/Infinity, errors — is parsed here, so error texts and positions are always CPython's.
 */

import { decimalToDouble, MAX_EXACT_POW10 } from './decimal';
import { parseViaNative } from './py-json-native';

/** A Python float whose value is integral (`1.0`, `1e3`, `-0.0`): kept apart from the int `1`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A JSON object, in Python's key order. */
export type PyDict = Map<string, PyValue>;

/**
 * A decoded JSON value. Ints are `number` when `Number.isInteger` (and safe) or `bigint` beyond 2^53;
 * floats are `number` when not integral (including NaN and ±Infinity) or `PyFloat` when integral.
 */
export type PyValue = null | boolean | number | bigint | PyFloat | string | PyValue[] | PyDict;

export const isPyDict = (v: unknown): v is PyDict => v instanceof Map;
export const isPyList = (v: unknown): v is PyValue[] => Array.isArray(v);
export const isPyInt = (v: unknown): v is number | bigint =>
  typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
export const isPyFloat = (v: unknown): v is number | PyFloat =>
  v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
/** The numeric value of an int or float (bigint → nearest double). */
export const pyNumber = (v: number | bigint | PyFloat): number =>
  v instanceof PyFloat ? v.value : typeof v === 'bigint' ? Number(v) : v;

/** A decode failure, with CPython's message and the position in code points (Python's `pos`). */
export class PyJsonError extends Error {
  constructor(
    readonly msg: string,
    readonly pos: number,
    readonly lineno: number,
    readonly colno: number,
    /** `JSONDecodeError`, or `ValueError`/`RecursionError` for the failures CPython raises differently. */
    readonly pyType: 'JSONDecodeError' | 'ValueError' | 'RecursionError',
  ) {
    super(pyType === 'JSONDecodeError' ? `${msg}: line ${lineno} column ${colno} (char ${pos})` : msg);
    this.name = 'PyJsonError';
  }
}

/** CPython refuses to turn more than 4300 digits into an int (3.11+ and security backports). */
export const PY_INT_MAX_STR_DIGITS = 4300;
/**
 * Nesting depth past which CPython's C scanner raises RecursionError (the default recursion limit is
 * 1000 frames; a few are already used by the server). An estimate, kept where no server was measured (1.x, before
 * 2.6, FastAPI, Azure): the Flask 2.6+ servers pass their measured depths (mlflow-server.ts `flaskJsonDepth`).
 */
export const PY_MAX_JSON_DEPTH = 990;

export interface ParseOptions {
  /** Report RecursionError beyond this depth (default PY_MAX_JSON_DEPTH); Infinity disables it. */
  maxDepth?: number;
  /**
   * Try the engine's JSON.parse first (py-json-native.ts; default true). It answers only when its
   * result provably equals this parser's; false forces the character parser (tests compare the two).
   */
  native?: boolean;
  /**
   * `json.loads` of a *str* (CPython `json/__init__.py`): a leading U+FEFF is refused before any parsing —
   * "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)". Off by default: bytes given to
   * `json.loads` are decoded as utf-8-sig instead, and Preflight's own readers strip the mark.
   */
  strInput?: boolean;
}

const WS = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Python-compatible `json.loads`. Throws PyJsonError on malformed input, never anything else. */
export function parsePyJson(text: string, options: ParseOptions = {}): PyValue {
  const maxDepth = options.maxDepth ?? PY_MAX_JSON_DEPTH;
  if (options.strInput && text.charCodeAt(0) === 0xfeff) throw new PyJsonError('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0, 1, 1, 'JSONDecodeError');
  if (options.native !== false) {
    const fast = parseViaNative(text, maxDepth);
    if (fast !== undefined) return fast;
  }
  const n = text.length;
  let i = 0;

  const fail = (msg: string, at: number, pyType: PyJsonError['pyType'] = 'JSONDecodeError'): never => {
    const { pos, lineno, colno } = pythonPosition(text, at);
    throw new PyJsonError(msg, pos, lineno, colno, pyType);
  };
  const skipWs = (): void => {
    while (i < n && WS(text.charCodeAt(i))) i++;
  };

  const parseString = (): string => {
    // i points just past the opening quote
    const start = i - 1;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= n) fail('Unterminated string starting at', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        if (i + 1 >= n) fail('Unterminated string starting at', start);
        const e = text.charCodeAt(i + 1);
        switch (e) {
          case 0x22: out += '"'; i += 2; break;
          case 0x5c: out += '\\'; i += 2; break;
          case 0x2f: out += '/'; i += 2; break;
          case 0x62: out += '\b'; i += 2; break;
          case 0x66: out += '\f'; i += 2; break;
          case 0x6e: out += '\n'; i += 2; break;
          case 0x72: out += '\r'; i += 2; break;
          case 0x74: out += '\t'; i += 2; break;
          case 0x75: {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\uXXXX escape', i + 1);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            break;
          }
          default:
            fail('Invalid \\escape', i);
        }
        chunk = i;
        continue;
      }
      // strict=True (Flask's default): raw control characters are refused
      if (c < 0x20) fail('Invalid control character at', i);
      i++;
    }
  };

  /**
   * Hand-scanned number (Python's NUMBER_RE `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`). Floats of up to
   * 19 significant digits with a decimal exponent within ±22 are converted without allocating
   * (decimal.ts: exact or proved correctly rounded); anything else, and the rare near-ties decimal.ts
   * declines, goes through the engine's own conversion of the literal.
   */
  const parseNumber = (): PyValue => {
    const t = text, len = n;
    const start = i;
    let k = i;
    const neg = t.charCodeAt(k) === 0x2d;
    if (neg) k++;
    // One pass: significant digits go into a (the first 15, exact) and b (the next ≤ 4, nb of them);
    // leading zeros add nothing; nd counts significant digits (to 20, enough to know "too many").
    let a = 0, b = 0, nb = 0, nd = 0;
    let c = t.charCodeAt(k);
    if (c === 0x30) k++;
    else if (c >= 0x31 && c <= 0x39) {
      do {
        if (nd < 15) a = a * 10 + (c - 0x30);
        else if (nd < 19) { b = b * 10 + (c - 0x30); nb++; }
        nd++;
        k++;
      } while (k < len && (c = t.charCodeAt(k)) >= 0x30 && c <= 0x39);
    } else return fail('Expecting value', start);
    const intEnd = k;
    let fracDigits = 0;
    let isFloat = false;
    if (t.charCodeAt(k) === 0x2e && k + 1 < len && (c = t.charCodeAt(k + 1)) >= 0x30 && c <= 0x39) {
      k++;
      do {
        if (nd === 0 && c === 0x30) { /* a leading zero */ }
        else {
          if (nd < 15) a = a * 10 + (c - 0x30);
          else if (nd < 19) { b = b * 10 + (c - 0x30); nb++; }
          if (nd < 20) nd++;
        }
        fracDigits++;
        k++;
      } while (k < len && (c = t.charCodeAt(k)) >= 0x30 && c <= 0x39);
      isFloat = true;
    }
    let e10 = -fracDigits;
    c = t.charCodeAt(k);
    if (c === 0x65 || c === 0x45) {
      let m = k + 1;
      const es = t.charCodeAt(m);
      if (es === 0x2b || es === 0x2d) m++;
      const ds = m;
      let e = 0;
      while (m < len && (c = t.charCodeAt(m)) >= 0x30 && c <= 0x39) {
        if (m - ds < 5) e = e * 10 + (c - 0x30);
        m++;
      }
      if (m > ds) {
        // more than 5 exponent digits: out of the fast range whatever they say (zero-padded ones too)
        e10 = m - ds > 5 ? Infinity : e10 + (es === 0x2d ? -e : e);
        k = m;
        isFloat = true;
      }
    }
    i = k;
    if (!isFloat) {
      const digits = intEnd - start - (neg ? 1 : 0);
      if (digits <= 15) return neg ? (a === 0 ? 0 : -a) : a;
      if (digits > PY_INT_MAX_STR_DIGITS)
        fail(
          `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`,
          start,
          'ValueError',
        );
      const big = BigInt(text.slice(start, intEnd));
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    let v = NaN;
    if (nd === 0) v = 0;
    else if (nd <= 19 && e10 >= -MAX_EXACT_POW10 && e10 <= MAX_EXACT_POW10) v = decimalToDouble(a, b, nb, e10);
    if (Number.isNaN(v)) v = +text.slice(start, k);
    else if (neg) v = -v;
    return Number.isInteger(v) || Object.is(v, -0) ? new PyFloat(v) : v;
  };

  /** Values that are not containers; returns undefined when the next char opens a container. */
  const parseScalar = (): PyValue => {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i++;
      return parseString();
    }
    if (c === 0x74 && text.startsWith('true', i)) { i += 4; return true; }
    if (c === 0x66 && text.startsWith('false', i)) { i += 5; return false; }
    if (c === 0x6e && text.startsWith('null', i)) { i += 4; return null; }
    if (c === 0x4e && text.startsWith('NaN', i)) { i += 3; return NaN; }
    if (c === 0x49 && text.startsWith('Infinity', i)) { i += 8; return Infinity; }
    if (c === 0x2d && text.startsWith('-Infinity', i)) { i += 9; return -Infinity; }
    return parseNumber();
  };

  // Explicit stack of open containers; for objects the pending key is kept beside them.
  const lists: (PyValue[] | null)[] = [];
  const dicts: (PyDict | null)[] = [];
  const keys: string[] = [];
  let depth = 0;
  const ST_VALUE = 0, ST_FIRST_ITEM = 1, ST_FIRST_KEY = 2, ST_KEY = 3, ST_AFTER = 4;
  let state = ST_VALUE;
  let result: PyValue = null;
  let done = false;

  const attach = (v: PyValue): void => {
    if (depth === 0) {
      result = v;
      done = true;
      return;
    }
    const l = lists[depth - 1];
    if (l) {
      const k = counts[depth - 1]!;
      l[k] = v;
      counts[depth - 1] = k + 1;
      if (typeof v !== 'number') mixed[depth - 1] = true;
    } else dicts[depth - 1]!.set(keys[depth - 1]!, v);
  };
  /**
   * Lists are filled in a scratch buffer per depth, reused by the next sibling, and closed as an
   * exact-size copy. A list grown by push() keeps spare capacity (a 10-number row holds room for 17) and
   * a 100 000-row body would pay for it (payload-validate bench memory target, issue 3). A buffer that
   * held anything but plain numbers is dropped at close: its elements kind would box every later number.
   */
  const scratch: PyValue[][] = [];
  const counts: number[] = [];
  const mixed: boolean[] = [];
  const closeList = (d: number): PyValue[] => {
    const out = scratch[d]!.slice(0, counts[d]!);
    if (mixed[d]) scratch[d] = [];
    else if (scratch[d]!.length > 4096 && counts[d]! < 1024) scratch[d] = []; // do not keep a huge buffer for small siblings
    return out;
  };
  const push = (isList: boolean, dict: PyDict | null): void => {
    if (depth >= maxDepth)
      fail(`maximum recursion depth exceeded while decoding a JSON ${isList ? 'array' : 'object'} from a unicode string`, i, 'RecursionError');
    if (isList) {
      lists[depth] = scratch[depth] ??= [];
      counts[depth] = 0;
      mixed[depth] = false;
    } else lists[depth] = null;
    dicts[depth] = dict;
    depth++;
  };

  skipWs();
  if (i >= n) fail('Expecting value', i);
  for (;;) {
    if (state === ST_VALUE || state === ST_FIRST_ITEM) {
      let c = text.charCodeAt(i);
      if (WS(c)) {
        skipWs();
        c = text.charCodeAt(i);
      }
      if (i >= n) fail('Expecting value', i);
      if ((c >= 0x30 && c <= 0x39) || (c === 0x2d && text.charCodeAt(i + 1) !== 0x49)) {
        attach(parseNumber());
        state = ST_AFTER;
        continue;
      }
      if (c === 0x5b) {
        i++;
        push(true, null);
        state = ST_FIRST_ITEM;
        continue;
      }
      if (c === 0x7b) {
        i++;
        push(false, new Map());
        state = ST_FIRST_KEY;
        continue;
      }
      if (state === ST_FIRST_ITEM && c === 0x5d) {
        i++;
        depth--;
        attach([]);
        state = ST_AFTER;
        continue;
      }
      attach(parseScalar());
      state = ST_AFTER;
      continue;
    }
    if (state === ST_FIRST_KEY || state === ST_KEY) {
      skipWs();
      const c = i < n ? text.charCodeAt(i) : -1;
      if (state === ST_FIRST_KEY && c === 0x7d) {
        i++;
        depth--;
        attach(dicts[depth]!);
        state = ST_AFTER;
        continue;
      }
      if (c !== 0x22) fail('Expecting property name enclosed in double quotes', i);
      i++;
      const key = parseString();
      skipWs();
      if (i >= n || text.charCodeAt(i) !== 0x3a) fail("Expecting ':' delimiter", i);
      i++;
      keys[depth - 1] = key;
      state = ST_VALUE;
      continue;
    }
    // ST_AFTER
    if (done) {
      skipWs();
      if (i < n) fail('Extra data', i);
      return result;
    }
    let c = text.charCodeAt(i);
    if (WS(c)) {
      skipWs();
      c = i < n ? text.charCodeAt(i) : -1;
    }
    const isList = lists[depth - 1] !== null;
    if (c === 0x2c) {
      i++;
      state = isList ? ST_VALUE : ST_KEY;
    } else if (isList && c === 0x5d) {
      i++;
      depth--;
      attach(closeList(depth));
    } else if (!isList && c === 0x7d) {
      i++;
      depth--;
      attach(dicts[depth]!);
    } else fail("Expecting ',' delimiter", i);
  }
}

/** CPython reports positions in code points, lines counted on `\n`. Computed only on failure. */
function pythonPosition(text: string, at: number): { pos: number; lineno: number; colno: number } {
  let pos = 0;
  let lineno = 1;
  let lineStartPos = 0;
  for (let k = 0; k < at && k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < text.length) {
      const d = text.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) k++;
    }
    pos++;
    if (c === 0x0a) {
      lineno++;
      lineStartPos = pos;
    }
  }
  return { pos, lineno, colno: pos - lineStartPos + 1 };
}

// ---- serialisation -------------------------------------------------------------------------------

/** Python's float repr (`1.0`, `1e-05`, `1e+16`, `nan` is written by json as `NaN`). */
export function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0.0';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    const [mant, exp] = v.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[-+]/, '');
    return `${mant}e${sign}${digits.length < 2 ? '0' + digits : digits}`;
  }
  const s = String(v);
  return Number.isInteger(v) ? `${s}.0` : s;
}

export interface DumpOptions {
  /** `", "` / `": "` separators like Python's json.dumps default (true) or compact (false). */
  pythonSeparators?: boolean;
  /** Indent like json.dumps(indent=n). */
  indent?: number;
}

/**
 * `json.dumps` of a PyValue: ints stay ints, integral floats keep `.0`, NaN/Infinity are written as the
 * bare tokens Python writes. Iterative, so deep values cannot overflow the stack.
 */
export function dumpPyJson(value: PyValue, options: DumpOptions = {}): string {
  const itemSep = options.indent !== undefined ? ',' : options.pythonSeparators === false ? ',' : ', ';
  const keySep = options.pythonSeparators === false ? ':' : ': ';
  const ind = options.indent;
  const parts: string[] = [];
  type Task = PyValue | { raw: string };
  const tasks: { t: Task; depth: number }[] = [{ t: value, depth: 0 }];
  const nl = (depth: number): string => (ind === undefined ? '' : '\n' + ' '.repeat(ind * depth));
  while (tasks.length) {
    const { t, depth } = tasks.pop()!;
    if (t !== null && typeof t === 'object' && 'raw' in t) {
      parts.push(t.raw);
      continue;
    }
    const v = t as PyValue;
    if (Array.isArray(v)) {
      if (v.length === 0) { parts.push('[]'); continue; }
      const seq: { t: Task; depth: number }[] = [{ t: { raw: '[' + nl(depth + 1) }, depth }];
      v.forEach((x, k) => {
        if (k > 0) seq.push({ t: { raw: itemSep + nl(depth + 1) }, depth });
        seq.push({ t: x, depth: depth + 1 });
      });
      seq.push({ t: { raw: nl(depth) + ']' }, depth });
      for (let k = seq.length - 1; k >= 0; k--) tasks.push(seq[k]!);
      continue;
    }
    if (v instanceof Map) {
      if (v.size === 0) { parts.push('{}'); continue; }
      const seq: { t: Task; depth: number }[] = [{ t: { raw: '{' + nl(depth + 1) }, depth }];
      let k = 0;
      for (const [key, x] of v) {
        if (k++ > 0) seq.push({ t: { raw: itemSep + nl(depth + 1) }, depth });
        seq.push({ t: { raw: JSON.stringify(key) + keySep }, depth });
        seq.push({ t: x, depth: depth + 1 });
      }
      seq.push({ t: { raw: nl(depth) + '}' }, depth });
      for (let j = seq.length - 1; j >= 0; j--) tasks.push(seq[j]!);
      continue;
    }
    parts.push(dumpScalar(v));
  }
  return parts.join('');
}

function dumpScalar(v: PyValue): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  const num = v instanceof PyFloat ? v.value : (v as number);
  if (Number.isNaN(num)) return 'NaN';
  if (num === Infinity) return 'Infinity';
  if (num === -Infinity) return '-Infinity';
  if (v instanceof PyFloat) return pyFloatRepr(num);
  return Number.isInteger(num) ? String(num) : pyFloatRepr(num);
}

/**
 * Rebuilds a PyValue as plain JS data: lists stay arrays, dicts become objects (keys set with
 * defineProperty so a `__proto__` key stays a plain key), and `leaf` decides every other value. The
 * callers differ only in their leaves (what NaN, big ints and PyFloat become for their reader).
 */
export function mapPyValue(value: PyValue, leaf: (v: Exclude<PyValue, PyValue[] | PyDict>) => unknown): unknown {
  const convert = (v: PyValue): unknown => {
    if (Array.isArray(v)) return v.map(convert);
    if (v instanceof Map) {
      const o: Record<string, unknown> = {};
      for (const [k, x] of v) Object.defineProperty(o, k, { value: convert(x), enumerable: true, writable: true, configurable: true });
      return o;
    }
    return leaf(v);
  };
  return convert(value);
}

/** Plain JS value (for UI/IPC): Map → object, PyFloat → number, bigint → string of digits. */
export function toPlain(value: PyValue): unknown {
  return mapPyValue(value, (v) => (v instanceof PyFloat ? v.value : typeof v === 'bigint' ? v.toString() : v));
}

/** Lift a plain JS value (e.g. from JSON.parse) into the PyValue model. Integral numbers become ints. */
export function fromPlain(value: unknown): PyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string' || typeof value === 'bigint') return value;
  if (typeof value === 'number') return value;
  if (value instanceof PyFloat) return value;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [String(k), fromPlain(v)]));
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === 'object') return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromPlain(v)]));
  return String(value);
}
