/**
 * What the model receives, encoded for the Python worker (`resources/python/preflight_worker.py`,
 * `decode_input`), which rebuilds the exact pandas/numpy object with the same dtypes.
 *
 * Wire values are strict JSON. What JSON cannot say exactly travels tagged, `{"$": tag, "v": …}`:
 * `float` (non-finite, or integral floats kept apart from ints: "NaN" / "Infinity" / "-Infinity" / "-0.0" / number),
 * `int` (digits, beyond 2^53), `bytes` (base64), `ts` (ISO datetime up to ns), `nat`, `dict`
 * (`[[key, value], …]`, order kept). A plain JSON object never appears untagged.
 *
 * With an `F64Blob`, float64 frame columns and ndarrays of plain numbers travel as raw doubles in the
 * frame's blob instead (`{"$f64": byte offset}`, worker-frames.ts): exact, and nothing formatted or parsed.
 *
 * Two sources are accepted: the payload engine's own `ModelIn` (lossless: bytes, Timestamps, int vs
 * float all survive) and its user-facing description `ModelReceives` (payload/model-input.ts), where
 * some cells are text (`"NaN"`, big ints as digits, bytes as their repr, datetimes as ISO) and the dtype
 * says how to read them back.
 */
import { AppError, ErrorCodes } from '@shared/errors';
import { Bytes, NaT, Timestamp, encodeBase64 } from '@shared/mlflow/payload/cells';
import { PyTuple, type Cell, type Label } from '@shared/mlflow/payload/frame';
import type { ModelIn, ModelReceives } from '@shared/mlflow/payload/model-input';
import { PyFloat } from '@shared/mlflow/payload/py-json';
import { LITTLE_ENDIAN } from './worker-frames';

export type WireValue = null | boolean | number | string | WireValue[] | { $: string; v?: unknown };

/** Doubles in the request's blob, starting at this byte offset. */
export interface F64Ref {
  $f64: number;
}

export type WireInput =
  | { kind: 'dataframe'; nrows: number; columns: { name: WireValue; dtype: string; values: WireValue[] | F64Ref }[] }
  | { kind: 'ndarray'; dtype: string; shape: number[]; data: WireValue[] | F64Ref }
  | { kind: 'dict'; items: [string, WireInput][] }
  | { kind: 'value'; value: WireValue };

/**
 * What the model receives, already encoded for the wire: the `WireInput` as UTF-8 JSON, its blob, and the
 * params as a wire value. Made by `encodeModelInput` in the request preparation worker (runner/prepare/),
 * so a large input costs the app's main thread no per-cell work; the frame takes the bytes as they are.
 */
export interface EncodedInput {
  kind: 'encoded';
  json: Uint8Array;
  blob: Uint8Array | null;
  params: WireValue | null;
}

export type PredictInput = ModelIn | ModelReceives | EncodedInput;

/** `ModelIn` and params as the engine would encode them for the worker (python-engine.ts `predict`), in bytes. */
export function encodeModelInput(input: ModelIn, params: unknown): EncodedInput {
  const blob = new F64Blob();
  const json = Buffer.from(JSON.stringify(toWireInput(input, blob)), 'utf8');
  return { kind: 'encoded', json, blob: blob.toBuffer(), params: params === undefined || params === null ? null : toWireValue(params) };
}

/** JSON writes -0 as `0`: the float -0.0 travels as text, like the non-finite values, to keep its sign. */
const floatTag = (v: number): WireValue =>
  ({ $: 'float', v: Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : Object.is(v, -0) ? '-0.0' : v });

/** A Python value (payload engine cell, PyValue, or plain JS data) as a wire value. */
export function toWireValue(c: Cell | Label | unknown): WireValue {
  if (c === null || c === undefined) return null;
  if (typeof c === 'boolean' || typeof c === 'string') return c;
  if (typeof c === 'number') return Number.isFinite(c) ? c : floatTag(c);
  if (typeof c === 'bigint') return Number.isSafeInteger(Number(c)) ? Number(c) : { $: 'int', v: c.toString() };
  if (c instanceof PyFloat) return floatTag(c.value);
  if (c instanceof Bytes) return { $: 'bytes', v: encodeBase64(c.data) };
  if (c instanceof Timestamp) return { $: 'ts', v: c.iso('T') };
  if (c === NaT) return { $: 'nat' };
  if (c instanceof Uint8Array) return { $: 'bytes', v: encodeBase64(c) };
  if (c instanceof PyTuple) return { $: 'tuple', v: c.items.map((x) => toWireValue(x)) };
  if (Array.isArray(c)) return c.map((x) => toWireValue(x));
  if (c instanceof Map) return { $: 'dict', v: [...c].map(([k, v]) => [toWireValue(k), toWireValue(v)]) };
  if (typeof c === 'object') return { $: 'dict', v: Object.entries(c).map(([k, v]) => [k, toWireValue(v)]) };
  throw new TypeError(`internal: cannot send a ${typeof c} to the Python worker`);
}

function isModelIn(x: ModelIn | ModelReceives): x is ModelIn {
  switch (x.kind) {
    case 'frame':
    case 'value':
      return true;
    case 'ndarray':
      return 'data' in x;
    case 'dict':
      return x.items instanceof Map;
    default:
      return false;
  }
}

/** Collects float64 arrays for a request's blob; each one's byte offset is its `F64Ref`. */
export class F64Blob {
  private readonly parts: Float64Array[] = [];
  private bytes = 0;

  /**
   * The cells as doubles in the blob, or null when one is not a plain number (a PyFloat counts: its
   * value is the double). Little-endian only: the worker reads `<f8`.
   */
  add(cells: readonly unknown[]): F64Ref | null {
    if (!LITTLE_ENDIAN) return null;
    const out = new Float64Array(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      if (typeof v === 'number') out[i] = v;
      else if (v instanceof PyFloat) out[i] = v.value;
      else return null;
    }
    const ref = { $f64: this.bytes };
    this.parts.push(out);
    this.bytes += out.byteLength;
    return ref;
  }

  /** Everything added, in order (null when nothing was). */
  toBuffer(): Buffer | null {
    if (this.parts.length === 0) return null;
    return Buffer.concat(this.parts.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.byteLength)), this.bytes);
  }
}

/** `blob`: where float64 columns go as raw doubles; without it every cell is JSON (protocol tests, logs). */
export function toWireInput(input: ModelIn | ModelReceives, blob?: F64Blob): WireInput {
  return isModelIn(input) ? fromModelIn(input, blob) : fromReceives(input);
}

function fromModelIn(m: ModelIn, blob: F64Blob | undefined): WireInput {
  const values = (dtype: string, cells: readonly unknown[]): WireValue[] | F64Ref =>
    (dtype === 'float64' && blob?.add(cells)) || cells.map((v) => toWireValue(v));
  switch (m.kind) {
    case 'frame':
      return {
        kind: 'dataframe',
        nrows: m.nrows,
        columns: m.columns.map((c) => ({ name: toWireValue(c.name), dtype: c.dtype, values: values(c.dtype, c.values) })),
      };
    case 'ndarray':
      return { kind: 'ndarray', dtype: m.dtype, shape: m.shape, data: values(m.dtype, m.data) };
    case 'dict':
      return { kind: 'dict', items: [...m.items].map(([k, v]) => [k, fromModelIn(v, blob)]) };
    case 'value':
      return { kind: 'value', value: toWireValue(m.value) };
  }
}

// ---- ModelReceives: cells are text where JSON could not hold them; the dtype says how to read them ----

const NONFINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** A described cell back to a wire value, given its numpy/pandas dtype. */
function receivedCell(v: unknown, dtype: string): WireValue {
  if (typeof v === 'string') {
    if (/^float/.test(dtype) && v in NONFINITE) return floatTag(NONFINITE[v]!);
    if (/^u?int/.test(dtype) && /^-?\d+$/.test(v)) return toWireValue(BigInt(v));
    if (dtype.startsWith('datetime64')) return v === 'NaT' ? { $: 'nat' } : { $: 'ts', v };
    return v;
  }
  if (dtype.startsWith('datetime64') && v === null) return { $: 'nat' };
  return toWireValue(v);
}

function flatten(values: unknown, depth: number, out: unknown[]): void {
  if (depth === 0 || !Array.isArray(values)) {
    out.push(values);
    return;
  }
  for (const x of values) flatten(x, depth - 1, out);
}

function fromReceives(r: ModelReceives): WireInput {
  switch (r.kind) {
    case 'DataFrame': {
      // model_receives lists only a preview of large frames; running the model on it would be wrong.
      const nrows = (r as { nrows?: number }).nrows ?? r.values.length;
      if (nrows !== r.values.length) {
        throw new AppError(
          ErrorCodes.INVALID_INPUT,
          `The model input describes ${nrows} rows but lists only ${r.values.length} (model_receives is a preview). Pass the payload engine's ModelIn to the Python engine to run every row.`,
        );
      }
      const columns = r.columns.map((name, k) => {
        const dtype = r.dtypes[name] ?? 'object';
        return { name: name as WireValue, dtype, values: r.values.map((row) => receivedCell(row[k], dtype)) };
      });
      return { kind: 'dataframe', nrows, columns };
    }
    case 'ndarray': {
      const flat: unknown[] = [];
      flatten(r.values, r.shape.length, flat);
      return { kind: 'ndarray', dtype: r.dtype, shape: r.shape, data: flat.map((v) => receivedCell(v, r.dtype)) };
    }
    case 'dict':
      return { kind: 'dict', items: Object.entries(r.items).map(([k, v]) => [k, fromReceives(v)]) };
    default: {
      const py = r.pytype === 'float' ? 'float64' : r.pytype === 'int' ? 'int64' : 'object';
      return { kind: 'value', value: receivedCell(r.value, py) };
    }
  }
}
