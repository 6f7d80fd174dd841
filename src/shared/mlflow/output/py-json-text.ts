/**
 * Python's `json.dumps` text, byte for byte: `", "` / `": "` separators, `ensure_ascii` escaping, float
 * `repr` (shortest round-trip, `1e-05`, `1e+16`, `2.0`), bare `NaN` / `Infinity` / `-Infinity`, ints with
 * every digit. Two encoders: MLflow's `NumpyEncoder` (numpy scalars, arrays, bytes, timestamps converted,
 * payloads.md §5) and the plain encoder Azure's server uses, which raises TypeError on those (§4).
 */
import { Bytes, encodeBase64, NaT, Timestamp } from '../payload/cells';
import type { Cell } from '../payload/frame';
import { PyFloat, pyFloatRepr } from '../payload/py-json';
import type { ArrayData, NdArrayValue } from './prediction';

export type Encoder = 'numpy' | 'plain';

/** `TypeError: Object of type <T> is not JSON serializable`, as json.dumps raises it. */
export class NotJsonSerializable extends Error {
  constructor(readonly pyType: string) {
    super(`Object of type ${pyType} is not JSON serializable`);
    this.name = 'TypeError';
  }
}

const HEX = '0123456789abcdef';

/** A JSON string literal as Python writes it with ensure_ascii=True (every char outside ' '..'~' escaped). */
export function pyJsonString(s: string): string {
  // Fast path: printable ASCII without quotes or backslashes needs no escaping.
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    // UTF-16 code units are exactly what Python's \uXXXX escapes hold (surrogate pairs included).
    else out += '\\u' + HEX[(c >> 12) & 15]! + HEX[(c >> 8) & 15]! + HEX[(c >> 4) & 15]! + HEX[c & 15]!;
  }
  return out + '"';
}

/** A Python float as json writes it. */
export function pyJsonFloat(v: number): string {
  if (v !== v) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return pyFloatRepr(v);
}

/** `base64.encodebytes`: lines of 76 characters, each ending with a newline (payloads.md §5: b"ab" → "YWI=\n"). */
export function pyEncodeBytes(data: Uint8Array): string {
  const b64 = encodeBase64(data);
  let out = '';
  for (let k = 0; k < b64.length; k += 76) out += b64.slice(k, k + 76) + '\n';
  return out;
}

/** Python type name of an array element's numpy scalar, as TypeError messages print it (numpy 1.x names). */
export function numpyScalarTypeName(dtype: string): string {
  return dtype === 'bool' ? 'bool_' : dtype === 'object' || dtype === 'str' ? 'object' : dtype;
}

/** One Python object (a cell of an object array, a dict value, a plain value). */
export function writeObject(v: Cell, enc: Encoder): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return pyJsonString(v);
    case 'bigint':
      return v.toString();
    case 'number':
      // payload-engine convention: integral numbers are Python ints, the rest floats (PyFloat marks integral floats).
      return Number.isInteger(v) ? String(v) : pyJsonFloat(v);
  }
  if (v instanceof PyFloat) return pyJsonFloat(v.value);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ', ' : '') + writeObject(v[i] as Cell, enc);
    return out + ']';
  }
  if (v instanceof Map) {
    if (v.size === 0) return '{}';
    let out = '{';
    let first = true;
    for (const [k, x] of v) {
      out += (first ? '' : ', ') + pyJsonString(k) + ': ' + writeObject(x as Cell, enc);
      first = false;
    }
    return out + '}';
  }
  if (v instanceof Bytes) {
    if (enc === 'plain') throw new NotJsonSerializable('bytes');
    return pyJsonString(pyEncodeBytes(v.data));
  }
  if (v instanceof Timestamp) {
    if (enc === 'plain') throw new NotJsonSerializable('Timestamp');
    return pyJsonString(v.iso('T'));
  }
  if (v === NaT) {
    if (enc === 'plain') throw new NotJsonSerializable('NaTType');
    return '"NaT"';
  }
  throw new NotJsonSerializable('object');
}

/** Element `k` of a flat array, as `ndarray.tolist()` (or `maybe_box_native`) gives it to json. */
export function writeElement(dtype: string, data: ArrayData, k: number, enc: Encoder): string {
  switch (dtype) {
    case 'float64':
    case 'float32':
    case 'float16':
      return pyJsonFloat((data as Float64Array)[k]!);
    case 'bool':
      return (data as Uint8Array)[k] ? 'true' : 'false';
    case 'int64':
    case 'uint64':
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return String((data as Int32Array)[k]!);
    default:
      return writeObject((data as readonly Cell[])[k]!, enc);
  }
}

/** `ndarray.tolist()` written as JSON: nested lists following the shape. */
export function writeNdarrayList(a: NdArrayValue, enc: Encoder): string {
  const { dtype, data, shape } = a;
  if (shape.length === 0) return writeElement(dtype, data, 0, enc);
  const strides: number[] = new Array(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  const rec = (depth: number, offset: number): string => {
    const n = shape[depth]!;
    if (n === 0) return '[]';
    let out = '[';
    if (depth === shape.length - 1) {
      for (let i = 0; i < n; i++) out += (i ? ', ' : '') + writeElement(dtype, data, offset + i, enc);
    } else {
      for (let i = 0; i < n; i++) out += (i ? ', ' : '') + rec(depth + 1, offset + i * strides[depth]!);
    }
    return out + ']';
  };
  return rec(0, 0);
}
