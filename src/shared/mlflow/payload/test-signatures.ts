/**
 * Signature builders for the payload tests (the real parser lives in ../signature.ts; these build the
 * same `Signature` shape by hand so each test states its schema in one line).
 */
import type { ColType, ColumnSpec, ParamSpec, Signature, TensorSpec } from '../model-report';

type TypeArg = ColType['type'] | ColType;
const toType = (t: TypeArg): ColType => (typeof t === 'string' ? ({ type: t } as ColType) : t);

/** Named columns: `cols({ a: 'double', b: ['long', false] })` (false = optional). */
export function cols(spec: Record<string, TypeArg | [TypeArg, boolean]>, params: ParamSpec[] | null = null): Signature {
  const columns: ColumnSpec[] = Object.entries(spec).map(([name, t]) => {
    const [type, required] = Array.isArray(t) ? [toType(t[0]), t[1]] : [toType(t), true];
    return { name, type, required, display: type.type };
  });
  return { inputs: { kind: 'columns', columns }, outputs: null, params, raw: { inputs: null, outputs: null, params: null } };
}

/** Unnamed columns: `unnamedCols('double', 'double')`. */
export function unnamedCols(...types: TypeArg[]): Signature {
  return {
    inputs: { kind: 'columns', columns: types.map((t) => ({ name: null, type: toType(t), required: true, display: toType(t).type })) },
    outputs: null, params: null, raw: { inputs: null, outputs: null, params: null },
  };
}

export function tensors(...specs: TensorSpec[]): Signature {
  return { inputs: { kind: 'tensors', tensors: specs }, outputs: null, params: null, raw: { inputs: null, outputs: null, params: null } };
}

export const tensor = (dtype: string, shape: number[], name: string | null = null): TensorSpec => ({ name, dtype, shape });

export function paramsOnly(params: ParamSpec[]): Signature {
  return { inputs: null, outputs: null, params, raw: { inputs: null, outputs: null, params: null } };
}

export const param = (name: string, type: string, dflt: unknown, shape: number[] | null = null): ParamSpec => ({ name, type, default: dflt, shape, display: type });
