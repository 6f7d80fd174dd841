/**
 * Python `repr`/`str` of decoded values, because the servers' error texts embed them
 * (`Model is missing inputs ['c'].`, `Missing required properties: {'k'}`, `<class 'dict'>`).
 */
import { PyFloat, pyFloatRepr } from './py-json';
import { Bytes, Timestamp } from './cells';

/** Python's repr of a str: single quotes unless the text has a ' and no ". */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + quote;
}

/** `type(v).__name__` for a decoded JSON value (or a cell the engine produced). */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'dict';
  if (v instanceof Bytes) return 'bytes';
  if (v instanceof Timestamp) return 'Timestamp';
  return 'object';
}

/** `str(type(v))`, e.g. `<class 'dict'>`. */
export const pyClassRepr = (v: unknown): string => `<class '${pyTypeName(v)}'>`;

/** Python repr of a value (`'a'`, `1.0`, `None`, `[1, 'x']`, `{'k': 1}`, `b'..'`). Iterative over depth. */
export function pyRepr(v: unknown, depthLimit = 200): string {
  if (depthLimit <= 0) return '[...]';
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pyFloatRepr(v);
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === 'string') return pyStrRepr(v);
  if (v instanceof Bytes) return v.repr();
  if (v instanceof Timestamp) return `Timestamp('${v.iso()}')`;
  if (Array.isArray(v)) return '[' + v.map((x) => pyRepr(x, depthLimit - 1)).join(', ') + ']';
  if (v instanceof Map) return '{' + [...v].map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x, depthLimit - 1)}`).join(', ') + '}';
  return String(v);
}

/** Python `str()` of a value: like repr, except a str is itself. */
export const pyStr = (v: unknown): string => (typeof v === 'string' ? v : pyRepr(v));

/**
 * int()'s ValueError text. CPython formats it with `%.200R`: the repr is cut at 200 characters, closing
 * quote included, so a 300-character string ends without one (long_from_string_base in longobject.c).
 */
export const pyIntLiteralError = (v: string): string => `invalid literal for int() with base 10: ${[...pyRepr(v)].slice(0, 200).join('')}`;

/** repr of a Python set of strings / values (the order of a real set varies per process). */
export const pySetRepr = (items: Iterable<unknown>): string => {
  const arr = [...items];
  return arr.length === 0 ? 'set()' : '{' + arr.map((x) => pyRepr(x)).join(', ') + '}';
};

/** repr of a Python tuple, e.g. `(-1, 4)` and `(4,)`. */
export const pyTupleRepr = (items: readonly unknown[]): string =>
  items.length === 1 ? `(${pyRepr(items[0])},)` : '(' + items.map((x) => pyRepr(x)).join(', ') + ')';

/** `repr(exception)`: `ValueError('text')`. */
export const pyExcRepr = (type: string, message: string): string => `${type}(${pyStrRepr(message)})`;
