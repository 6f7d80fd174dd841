/**
 * How pandas 1.5's C parser turns the text fields of one CSV column into a typed column
 * (`pandas/_libs/parsers.pyx` `TextReader._convert_tokens` / `_convert_with_dtype`, tokenizer.c
 * `str_to_int64` / `precise_xstrtod` / `to_boolean`). docs/fidelity.md §CSV lists the rules with examples.
 *
 * - NA tokens (STR_NA_VALUES) are NA whatever their quoting.
 * - With a requested dtype, the column is first parsed as that dtype; NA in an int/bool column raises
 *   "Integer/Bool column has NA values in column i". If a field does not parse, the column is inferred
 *   (int64 → uint64 → float64 → bool → object) and then cast with numpy's `astype(dtype, casting='safe')`,
 *   else `astype(dtype)` kept only when it changed no value ("cannot safely convert passed user dtype of
 *   <dtype> for <inferred> dtyped data in column i"), a Python int()/float() error surfacing as is.
 * - Floats are read with `precise_xstrtod`, which is not correctly rounded past 17 digits.
 */
import { PyError, pyFloatFromStr, type Cell } from './frame';
import { pyNumberText } from './py-numtext';
import { pyIntLiteralError, pyRepr } from './py-repr';

/** pandas 1.5 `STR_NA_VALUES` (pandas/_libs/parsers.pyx). "None" joined only in pandas 2.0. */
export const PANDAS_NA_VALUES: ReadonlySet<string> = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'n/a', 'nan', 'null',
]);

const TRUE_VALUES = new Set(['True', 'TRUE', 'true']);
const FALSE_VALUES = new Set(['False', 'FALSE', 'false']);
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** tokenizer.c `str_to_int64` / `str_to_uint64`: spaces around, a sign, ASCII digits only. */
function cInt(s: string): bigint | null {
  const m = /^[ \t\n\r\v\f]*([-+]?)(\d+)[ \t\n\r\v\f]*$/.exec(s);
  if (!m) return null;
  return m[1] === '-' ? -BigInt(m[2]!) : BigInt(m[2]!);
}

/** Powers of ten as C double literals (tokenizer.c `e[]`). */
const E = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));

/** tokenizer.c `precise_xstrtod` with skip_trailing; null when the field is not a whole number text. */
export function preciseXstrtod(s: string): number | null {
  let p = 0;
  while (isSpace(s[p])) p++;
  let negative = false;
  if (s[p] === '-') { negative = true; p++; } else if (s[p] === '+') p++;
  let number = 0;
  let exponent = 0;
  let numDigits = 0;
  let numDecimals = 0;
  const maxDigits = 17;
  const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  while (digit(s[p])) {
    if (numDigits < maxDigits) { number = number * 10 + (s.charCodeAt(p) - 48); numDigits++; } else exponent++;
    p++;
  }
  if (s[p] === '.') {
    p++;
    while (numDigits < maxDigits && digit(s[p])) { number = number * 10 + (s.charCodeAt(p) - 48); p++; numDigits++; numDecimals++; }
    if (numDigits >= maxDigits) while (digit(s[p])) p++;
    exponent -= numDecimals;
  }
  if (numDigits === 0) return null;
  if (negative) number = -number;
  if (s[p] === 'e' || s[p] === 'E') {
    p++;
    let expNeg = false;
    if (s[p] === '-') { expNeg = true; p++; } else if (s[p] === '+') p++;
    let n = 0;
    let expDigits = 0;
    while (expDigits < maxDigits && digit(s[p])) { n = n * 10 + (s.charCodeAt(p) - 48); expDigits++; p++; }
    exponent += expNeg ? -n : n;
    // no digits after the e: the C code un-consumes only the 'e', so a sign left behind fails the field
    if (expDigits === 0) p--;
  }
  if (exponent > 308) return null; // ERANGE
  if (exponent > 0) number *= E[exponent]!;
  else if (exponent < -308) number = exponent < -616 ? 0 : number / E[-308 - exponent]! / E[308]!;
  else number /= E[-exponent]!;
  if (!Number.isFinite(number)) return null; // ERANGE
  while (isSpace(s[p])) p++;
  return p === s.length ? number : null;
}

/** parsers.pyx `_try_double`: the number, else the inf spellings (case-insensitive). */
function cDouble(s: string): number | null {
  const v = preciseXstrtod(s);
  if (v !== null) return v;
  const l = s.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return null;
}

/** `_try_bool_flex`: the true/false sets, then tokenizer.c `to_boolean` (strcasecmp TRUE/FALSE). */
function cBool(s: string): boolean | null {
  if (TRUE_VALUES.has(s)) return true;
  if (FALSE_VALUES.has(s)) return false;
  const u = s.toUpperCase();
  return u === 'TRUE' ? true : u === 'FALSE' ? false : null;
}

const intCell = (v: bigint): Cell => (v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v);

/** A column as pandas typed it: its dtype and cells (NaN for NA; ints as numbers, or bigints past 2**53). */
export interface TypedColumn { dtype: string; values: Cell[] }

type TryInt = { dtype: 'int64' | 'uint64'; values: (bigint | null)[]; naCount: number } | null;

/**
 * parsers.pyx `_try_int64`, then `_try_uint64` on its OverflowError, each reading the fields **in order**: a
 * field that is not an integer ends the attempt (null: the caller tries the next dtype); one beyond int64 starts
 * the uint64 attempt, where tokenizer.c `str_to_uint64` takes a leading '-' as `seen_sint` (value 0, no error),
 * an NA as `seen_null`, a value past int64 as `seen_uint`, and one past uint64 raises OverflowError('Overflow').
 * Then `uint64_conflict` (uint with sint or null) → ValueError('Cannot convert to numerical dtype'), `seen_sint`
 * alone → OverflowError('Overflow') — both raised out of the reader.
 */
function tryInt64(tokens: string[], na: boolean[]): TryInt {
  const values: (bigint | null)[] = [];
  let naCount = 0;
  for (let k = 0; k < tokens.length; k++) {
    if (na[k]) { values.push(null); naCount++; continue; }
    const v = cInt(tokens[k]!);
    if (v === null) return null;
    if (v > INT64_MAX || v < INT64_MIN) return tryUint64(tokens, na);
    values.push(v);
  }
  return { dtype: 'int64', values, naCount };
}

function tryUint64(tokens: string[], na: boolean[]): TryInt {
  let seenSint = false, seenUint = false, seenNull = false;
  const values: (bigint | null)[] = [];
  for (let k = 0; k < tokens.length; k++) {
    if (na[k]) { seenNull = true; values.push(0n); continue; }
    const t = tokens[k]!.replace(/^[ \t\n\r\v\f]+/, '');
    if (t.startsWith('-')) { seenSint = true; values.push(0n); continue; }
    const v = cInt(t);
    if (v === null) return null;
    if (v > UINT64_MAX) throw new PyError('OverflowError', 'Overflow');
    if (v > INT64_MAX) seenUint = true;
    values.push(v);
  }
  if (seenUint && (seenSint || seenNull)) throw new PyError('ValueError', 'Cannot convert to numerical dtype');
  if (seenSint) throw new PyError('OverflowError', 'Overflow');
  return { dtype: 'uint64', values, naCount: 0 };
}

/** The column pandas infers with no dtype (`dtype_cast_order`), NA already applied. */
export function inferCsvColumn(tokens: string[]): TypedColumn {
  const na = tokens.map((t) => PANDAS_NA_VALUES.has(t));
  // int64 (NA → upcast to float64); an overflow retries as uint64, whose failure leaves raw strings.
  // _try_int64 reads the fields in order: a non-integer field ends the attempt quietly, an overflowing one
  // first raises OverflowError → _try_uint64, whose failure leaves the column as the raw strings (NA too).
  let ints: TryInt;
  try {
    ints = tryInt64(tokens, na);
  } catch (e) {
    // `_convert_tokens`: _try_uint64's ValueError leaves the column as is (na_filter off: NA stays text),
    // its OverflowError re-reads it as object with the NA filter.
    if (!(e instanceof PyError)) throw e;
    return { dtype: 'object', values: e.pyType === 'ValueError' ? tokens.slice() : tokens.map((t, k) => (na[k] ? NaN : t)) };
  }
  if (ints !== null) {
    if (ints.dtype === 'uint64') return { dtype: 'uint64', values: ints.values.map((v) => intCell(v!)) };
    return ints.naCount > 0 ? { dtype: 'float64', values: ints.values.map((v) => (v === null ? NaN : Number(v))) } : { dtype: 'int64', values: ints.values.map((v) => intCell(v!)) };
  }
  const floats = tokens.map((t, k) => (na[k] ? NaN : cDouble(t)));
  if (floats.every((v) => v !== null)) return { dtype: 'float64', values: floats as number[] };
  const bools = tokens.map((t, k) => (na[k] ? null : cBool(t)));
  if (bools.every((v, k) => na[k] || v !== null)) return na.some(Boolean) ? { dtype: 'object', values: bools.map((v) => (v === null ? NaN : v)) } : { dtype: 'bool', values: bools as boolean[] };
  return { dtype: 'object', values: tokens.map((t, k) => (na[k] ? NaN : t)) };
}

/** Python int(x) of an object cell, or the ValueError text. */
function pyInt(v: Cell): bigint | string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'cannot convert float NaN to integer' : BigInt(Math.trunc(v));
  if (typeof v === 'boolean') return v ? 1n : 0n;
  const s = String(v);
  const m = /^\s*([-+]?)(\d(?:_?\d)*)\s*$/.exec(pyNumberText(s));
  if (!m) return pyIntLiteralError(s);
  const n = BigInt(m[2]!.replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
}

/** Python float(x) of an object cell, or the ValueError text. */
function pyFloat(v: Cell): number | string {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = String(v);
  const f = pyFloatFromStr(s);
  return f === null ? `could not convert string to float: ${pyRepr(s)}` : f;
}

const wrap32 = (v: bigint): number => Number(BigInt.asIntN(32, v));

/** `_convert_tokens` for a column with a requested dtype (int64, int32, float64, float32, bool, object). */
export function convertCsvColumn(tokens: string[], dtype: string, col: number): TypedColumn {
  const na = tokens.map((t) => PANDAS_NA_VALUES.has(t));
  const unsafe = (from: string): PyError => new PyError('ValueError', `cannot safely convert passed user dtype of ${dtype} for ${from} dtyped data in column ${col}`);
  if (dtype === 'object') return { dtype, values: tokens.map((t, k) => (na[k] ? NaN : t)) };
  const isInt = dtype === 'int64' || dtype === 'int32';
  const isFloat = dtype === 'float64' || dtype === 'float32';
  const castInt = (v: bigint): Cell => (dtype === 'int32' ? wrap32(v) : intCell(v));
  const castFloat = (v: number): number => (dtype === 'float32' ? Math.fround(v) : v);
  // 1. The requested dtype directly.
  if (isInt) {
    // _try_int64 → _try_uint64 (their errors leave read_csv); a uint64 result is `astype(dtype)` unless int64
    const ints = tryInt64(tokens, na);
    if (ints !== null) {
      if (ints.naCount > 0) throw new PyError('ValueError', `Integer column has NA values in column ${col}`);
      if (ints.dtype === 'uint64' && dtype === 'int64') return { dtype: 'uint64', values: ints.values.map((v) => intCell(v!)) };
      return { dtype, values: ints.values.map((v) => castInt(v!)) };
    }
  } else if (isFloat) {
    const floats = tokens.map((t, k) => (na[k] ? NaN : cDouble(t)));
    if (floats.every((v) => v !== null)) return { dtype, values: (floats as number[]).map(castFloat) };
  } else if (dtype === 'bool') {
    const bools = tokens.map((t, k) => (na[k] ? null : cBool(t)));
    if (bools.every((v, k) => na[k] || v !== null)) {
      if (na.some(Boolean)) throw new PyError('ValueError', `Bool column has NA values in column ${col}`);
      return { dtype, values: bools as boolean[] };
    }
  }
  // 2. Inferred, then cast only where no value changes.
  const inferred = inferCsvColumn(tokens);
  const from = inferred.dtype;
  if (isInt) {
    if (from === 'bool') return { dtype, values: inferred.values.map((v) => (v ? 1 : 0)) };
    if (from === 'float64') {
      // numpy's float64 → int32/int64 `astype` is a C cast: a value outside the target's range (NaN and ±inf too)
      // becomes its minimum (x86 cvttsd2si, "invalid value encountered in cast"), which then differs from the float
      // read — so only integral values inside the range survive `(col_res != col_res_orig).any()`
      const bits = dtype === 'int32' ? 31 : 63;
      const fits = (v: number): boolean => Number.isInteger(v) && v >= -(2 ** bits) && v < 2 ** bits;
      if (inferred.values.every((v) => fits(v as number))) return { dtype, values: inferred.values.map((v) => castInt(BigInt(v as number))) };
      throw unsafe(from);
    }
    if (from === 'object') {
      for (const v of inferred.values) {
        const r = pyInt(v);
        if (typeof r === 'string') throw new PyError('ValueError', r);
      }
      throw unsafe(from);
    }
    throw unsafe(from);
  }
  if (isFloat) {
    if (from === 'int64' || from === 'uint64') return { dtype, values: inferred.values.map((v) => castFloat(Number(v))) };
    if (from === 'bool') return { dtype, values: inferred.values.map((v) => (v ? 1 : 0)) };
    for (const v of inferred.values) {
      const r = pyFloat(v);
      if (typeof r === 'string') throw new PyError('ValueError', r);
    }
    throw unsafe(from);
  }
  // bool: ints/floats that are all 0/1 survive astype(bool) unchanged; strings never do.
  if ((from === 'int64' || from === 'uint64' || from === 'float64') && inferred.values.every((v) => Number(v) === 0 || Number(v) === 1))
    return { dtype, values: inferred.values.map((v) => Number(v) === 1) };
  throw unsafe(from);
}
