/**
 * Tensors as they cross the process boundary (structured clone with `serialization: 'advanced'`): a
 * plain object with a typed array, never an onnxruntime `Tensor` instance. Also the numpy ⇄ onnxruntime
 * element-type mapping and float16 bit conversion, which onnxruntime-node leaves to the caller
 * (fixtures README "What onnxruntime-node 1.30 does", point 4).
 */

/** onnxruntime-node tensor type names (`Tensor.type`). */
export type OrtType =
  | 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32'
  | 'int64' | 'uint64' | 'bool' | 'string';

export type TensorData =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | string[];

/** A tensor on the wire. float16 travels as raw bits (Uint16Array), bool as 0/1 bytes (Uint8Array). */
export interface WireTensor {
  type: OrtType;
  dims: number[];
  data: TensorData;
}

/** ONNX element type names (`tensor(float)` → `float`) → onnxruntime-node type names. */
const ONNX_TO_ORT: Readonly<Record<string, OrtType>> = {
  float: 'float32', double: 'float64', float16: 'float16', int8: 'int8', uint8: 'uint8', int16: 'int16',
  uint16: 'uint16', int32: 'int32', uint32: 'uint32', int64: 'int64', uint64: 'uint64', bool: 'bool', string: 'string',
};

export function ortTypeOfOnnxElem(elemType: string): OrtType | null {
  return ONNX_TO_ORT[elemType] ?? null;
}

/**
 * numpy dtype names (what the payload engine produces: `float64`, `int32`, `bool`, `object`, `<U5`, …) →
 * the onnxruntime type Python's onnxruntime would build from such an array. `object` and unicode arrays
 * become string tensors (onnxruntime's Python binding `str()`s each element). null: no tensor type.
 */
export function ortTypeOfNumpy(dtype: string): OrtType | null {
  if (dtype === 'object' || dtype === 'O' || dtype === 'str' || /^[<>|=]?U\d*$/.test(dtype)) return 'string';
  switch (dtype) {
    case 'float64': case 'float32': case 'float16': case 'int8': case 'uint8': case 'int16': case 'uint16':
    case 'int32': case 'uint32': case 'int64': case 'uint64': case 'bool':
      return dtype;
    default:
      return null;
  }
}

/** numpy dtype of an array onnxruntime returns: strings come back as `object` arrays. */
export function numpyDtypeOfOrt(type: OrtType): string {
  return type === 'string' ? 'object' : type;
}

export function allocate(type: OrtType, n: number): TensorData {
  switch (type) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'float16': return new Uint16Array(n);
    case 'int8': return new Int8Array(n);
    case 'uint8': case 'bool': return new Uint8Array(n);
    case 'int16': return new Int16Array(n);
    case 'uint16': return new Uint16Array(n);
    case 'int32': return new Int32Array(n);
    case 'uint32': return new Uint32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'uint64': return new BigUint64Array(n);
    case 'string': return new Array<string>(n).fill('');
  }
}

// ---- float16 ---------------------------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a number, round-half-to-even (what numpy's `astype(float16)` does). */
export function floatToHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half += 1; // may carry into the exponent: still correct
  e = half;
  return sign | e;
}

export function halfBitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
