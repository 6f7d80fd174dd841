import type { OnnxType } from '@shared/mlflow/model-report';

/**
 * TensorProto.DataType codes → the names ONNX itself prints (`onnx.helper.tensor_dtype_to_string`
 * minus the prefix, and what `tensor(<name>)` type strings use). Source: onnx/onnx `onnx/onnx.proto`.
 */
export const ELEM_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'undefined',
  1: 'float',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'double',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  21: 'uint4',
  22: 'int4',
  23: 'float4e2m1',
  24: 'float8e8m0',
  25: 'uint2',
  26: 'int2',
};

export type ElemTypeName =
  | 'float' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'int64' | 'string' | 'bool' | 'float16'
  | 'double' | 'uint32' | 'uint64' | 'complex64' | 'complex128' | 'bfloat16' | 'float8e4m3fn'
  | 'float8e4m3fnuz' | 'float8e5m2' | 'float8e5m2fnuz' | 'uint4' | 'int4' | 'float4e2m1' | 'float8e8m0'
  | 'uint2' | 'int2';

const CODES_BY_NAME: ReadonlyMap<string, number> = new Map(
  Object.entries(ELEM_TYPE_NAMES).map(([code, name]) => [name, Number(code)]),
);

/** A code a newer ONNX may add stays visible as `unknown(N)` instead of failing the inspection. */
export function elemTypeName(code: number): string {
  return ELEM_TYPE_NAMES[code] ?? `unknown(${code})`;
}

export function elemTypeCode(name: string): number {
  const code = CODES_BY_NAME.get(name);
  if (code === undefined) throw new Error(`Unknown ONNX element type '${name}'.`);
  return code;
}

function shapeText(shape: (number | string | null)[] | null): string {
  if (shape === null) return '';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}

/**
 * The one-line form used across the UI and CLI: `tensor(float)[N,10]`, `tensor(float)[?,3]`,
 * `seq(map(int64,tensor(float)))`. A tensor without shape information prints no brackets (rank
 * unknown), a scalar prints `[]`.
 */
export function displayOnnxType(type: OnnxType | null): string {
  if (type === null) return '?';
  switch (type.kind) {
    case 'tensor':
      return `tensor(${type.elemType})${shapeText(type.shape)}`;
    case 'sparse_tensor':
      return `sparse_tensor(${type.elemType})${shapeText(type.shape)}`;
    case 'sequence':
      return `seq(${displayOnnxType(type.elem)})`;
    case 'map':
      return `map(${type.keyType},${displayOnnxType(type.value)})`;
    case 'optional':
      return `optional(${displayOnnxType(type.elem)})`;
    case 'unknown':
      return 'unknown';
  }
}

// ---- convenience constructors, used by the writer's callers and by tests -----------------------

export const tensorType = (elemType: ElemTypeName, shape: (number | string | null)[] | null): OnnxType => ({
  kind: 'tensor',
  elemType,
  shape,
});
export const seqType = (elem: OnnxType): OnnxType => ({ kind: 'sequence', elem });
export const mapType = (keyType: ElemTypeName, value: OnnxType): OnnxType => ({ kind: 'map', keyType, value });
export const optionalType = (elem: OnnxType): OnnxType => ({ kind: 'optional', elem });
