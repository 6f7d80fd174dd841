/**
 * onnxruntime outputs → what MLflow's onnx pyfunc wrapper returns (onnx-flavor.md "Outputs"):
 * DataFrame input → a DataFrame with one column per output, each `np.asarray(output).reshape(-1)`;
 * ndarray or dict input → `{output name: output}`. ZipMap outputs are rebuilt as Python onnxruntime
 * returns them: a list of dicts `{class label: probability}`.
 *
 * The result is plain, structured-clone-safe data for the scoring servers to serialize (payloads.md §5).
 */
import { AppError } from '@shared/errors';
import { modelRunError, RunnerErrorCodes } from './runner-errors';
import type { InputKind } from './feeds';
import type { ModelPlan, PlannedOutput } from './model-plan';
import { halfBitsToFloat, numpyDtypeOfOrt, type TensorData, type WireTensor } from './tensor-data';

/**
 * One output value, as Python holds it:
 * - `ndarray`: a numpy array. `dtype` is numpy's name (`float32`, `int64`, `bool`, `object` for strings,
 *   `float16`). `data` is flat row-major: Float32Array/Float64Array/Int*Array/BigInt64Array/BigUint64Array
 *   as the dtype says; `bool` is a Uint8Array of 0/1; `float16` is decoded to a Float32Array of the
 *   half-precision values; `object` is `string[]`.
 * - `maps`: a Python list of `count` dicts, each `{keys[k]: values[row * keys.length + k]}`. The values
 *   are float32 numbers (Python widens them: 0.1 is written 0.10000000149011612); int64 keys are bigint.
 */
export type OutputValue =
  | { kind: 'ndarray'; dtype: string; shape: number[]; data: TensorData }
  | { kind: 'maps'; keyType: 'int64' | 'string'; keys: bigint[] | string[]; count: number; values: Float32Array };

export interface NamedOutput {
  name: string;
  value: OutputValue;
}

/**
 * - `frame`: a pandas DataFrame: every ndarray column is 1-D with `nrows` values; a `maps` column is an
 *   object column holding one dict per row. Serialize as records (`to_dict(orient="records")`).
 * - `dict`: `{name: value}` in graph output order (MLflow: `{"predictions": {name: list}}`).
 */
export type OnnxPrediction =
  | { kind: 'frame'; nrows: number; columns: NamedOutput[] }
  | { kind: 'dict'; items: NamedOutput[] };

export function assemblePrediction(plan: ModelPlan, kind: InputKind, raw: Record<string, WireTensor>): OnnxPrediction {
  const values: NamedOutput[] = plan.outputs.map((o) => ({ name: o.name, value: outputValue(plan, o, raw) }));
  if (kind !== 'frame') return { kind: 'dict', items: values };
  const columns = values.map(({ name, value }) => ({ name, value: value.kind === 'ndarray' ? { ...value, shape: [value.data.length] } : value }));
  const lengths = columns.map((c) => (c.value.kind === 'ndarray' ? c.value.data.length : c.value.count));
  if (lengths.some((n) => n !== lengths[0])) {
    // pandas.DataFrame.from_dict with columns of different lengths.
    const message = 'All arrays must be of the same length';
    throw modelRunError(
      `${plan.relName}: MLflow builds a DataFrame from the outputs, one column per output flattened with reshape(-1), and they have different lengths (${columns.map((c, k) => `${c.name}: ${lengths[k]}`).join(', ')}). pandas fails: ${message}. Send the input as named tensors to get each output whole.`,
      { type: 'ValueError', message },
      plan.relName,
    );
  }
  return { kind: 'frame', nrows: lengths[0] ?? 0, columns };
}

function outputValue(plan: ModelPlan, o: PlannedOutput, raw: Record<string, WireTensor>): OutputValue {
  if (o.kind === 'tensor') {
    const t = raw[o.name];
    if (!t) throw missing(plan, o.name);
    return ndarrayOf(t);
  }
  if (o.kind === 'zipmap') {
    const t = raw[o.source];
    if (!t) throw missing(plan, o.source);
    return zipMap(plan, o, t);
  }
  throw unsupportedOutput(plan, o);
}

/** Fails before running when an output can be neither fetched nor rebuilt (nothing to gain from running). */
export function assertOutputsSupported(plan: ModelPlan): void {
  const o = plan.outputs.find((x) => x.kind === 'unsupported');
  if (o) throw unsupportedOutput(plan, o);
}

function unsupportedOutput(plan: ModelPlan, o: PlannedOutput): AppError {
  // Python's onnxruntime would return it; onnxruntime-node cannot, and Preflight has no rebuild for it.
  return new AppError(
    RunnerErrorCodes.UNSUPPORTED_MODEL,
    `${plan.relName}: output '${o.name}' is ${o.type}. onnxruntime-node cannot return non-tensor outputs, and Preflight can only rebuild ZipMap outputs (seq(map(…))), so this model cannot be run here without Python.`,
    { details: { model: plan.relName, output: o.name, type: o.type } },
  );
}

function ndarrayOf(t: WireTensor): OutputValue {
  if (t.type === 'float16') {
    const bits = t.data as Uint16Array;
    const out = new Float32Array(bits.length);
    for (let k = 0; k < bits.length; k++) out[k] = halfBitsToFloat(bits[k]!);
    return { kind: 'ndarray', dtype: 'float16', shape: t.dims, data: out };
  }
  return { kind: 'ndarray', dtype: numpyDtypeOfOrt(t.type), shape: t.dims, data: t.data };
}

function zipMap(plan: ModelPlan, o: Extract<PlannedOutput, { kind: 'zipmap' }>, t: WireTensor): OutputValue {
  const c = o.keys.length;
  // ZipMap takes [N, C] (N maps) or [C] (one map); C must equal the number of class labels.
  const width = t.dims.length === 0 ? 1 : t.dims[t.dims.length - 1]!;
  if (t.type !== 'float32' || t.dims.length > 2 || width !== c) {
    const message = `ZipMap expects a float tensor of shape [N, ${c}] but got ${t.type}[${t.dims.join(', ')}]`;
    throw modelRunError(`${plan.relName}: output '${o.name}': ${message}.`, { type: 'onnxruntime.capi.onnxruntime_pybind11_state.Fail', message }, plan.relName);
  }
  const values = t.data as Float32Array;
  return { kind: 'maps', keyType: o.keyType, keys: o.keys, count: c === 0 ? 0 : values.length / c, values };
}

function missing(plan: ModelPlan, name: string): Error {
  return new Error(`internal: onnxruntime returned no value for '${name}' of ${plan.relName}`);
}

// ---- plain JavaScript form -------------------------------------------------------------------------

export type PlainValue = number | bigint | string | boolean | PlainValue[] | { [key: string]: PlainValue };

/**
 * The prediction as the JSON-able value MLflow's `_get_jsonable_obj` produces before encoding: a frame
 * becomes a list of records, a dict becomes `{name: nested lists}`; ZipMap rows become objects keyed by
 * the label text (JSON keys are strings). Numbers stay numbers (NaN/±Infinity included) and int64 stays
 * bigint: choosing how to write them is the server profile's job (payloads.md §4–5).
 */
export function predictionToPlain(p: OnnxPrediction): PlainValue {
  if (p.kind === 'dict') {
    const out: { [key: string]: PlainValue } = {};
    for (const { name, value } of p.items) define(out, name, valueToPlain(value));
    return out;
  }
  const cols = p.columns.map((c) => ({ name: c.name, flat: flatPlain(c.value) }));
  const rows: PlainValue[] = [];
  for (let r = 0; r < p.nrows; r++) {
    const rec: { [key: string]: PlainValue } = {};
    for (const c of cols) define(rec, c.name, c.flat[r]!);
    rows.push(rec);
  }
  return rows;
}

export function valueToPlain(v: OutputValue): PlainValue {
  const flat = flatPlain(v);
  if (v.kind === 'maps') return flat;
  return nest(flat, v.shape);
}

function flatPlain(v: OutputValue): PlainValue[] {
  if (v.kind === 'maps') {
    const out: PlainValue[] = [];
    const c = v.keys.length;
    for (let r = 0; r < v.count; r++) {
      const m: { [key: string]: PlainValue } = {};
      for (let k = 0; k < c; k++) define(m, String(v.keys[k]), v.values[r * c + k]!);
      out.push(m);
    }
    return out;
  }
  const d = v.data;
  if (v.dtype === 'bool') return Array.from(d as Uint8Array, (x) => x !== 0);
  return Array.from(d as ArrayLike<number | bigint | string>);
}

function nest(flat: PlainValue[], shape: number[]): PlainValue {
  if (shape.length === 0) return flat[0]!;
  if (shape.length === 1) return flat;
  const inner = shape.slice(1);
  const step = inner.reduce((a, b) => a * b, 1);
  const out: PlainValue[] = [];
  for (let k = 0; k < shape[0]!; k++) out.push(nest(flat.slice(k * step, (k + 1) * step), inner));
  return out;
}

function define(o: { [key: string]: PlainValue }, key: string, value: PlainValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}
