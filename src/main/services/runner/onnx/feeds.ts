/**
 * What the model receives (`ModelIn`) → onnxruntime feeds, exactly as MLflow's onnx pyfunc wrapper
 * builds them (reference: ../shared/reference/onnx-flavor.md, mlflow/onnx/__init__.py
 * `_OnnxModelWrapper.predict` and `_cast_float64_to_float32`), plus the input checks Python's
 * onnxruntime does before running (`InferenceSession._validate_input`).
 */
import { PyFloat } from '@shared/mlflow/payload/py-json';
import type { Cell, Frame, NdArray } from '@shared/mlflow/payload/frame';
import type { ModelIn } from '@shared/mlflow/payload/model-input';
import { pyRepr, pyStr, pyStrRepr } from '@shared/mlflow/payload/py-repr';
import { AppError } from '@shared/errors';
import { feedDtype, interleavedDtype } from '@shared/mlflow/payload/onnx-feed-dtype';
import { modelRunError, RunnerErrorCodes } from './runner-errors';
import { allocate, floatToHalfBits, ortTypeOfNumpy, type OrtType, type TensorData, type WireTensor } from './tensor-data';

/** A graph input as the wrapper records it: `(name, type)` with type as onnxruntime prints it. */
export interface GraphInput {
  name: string;
  /** `tensor(float)`, `tensor(int64)`, `seq(tensor(float))`, … (onnxruntime's `NodeArg.type` spelling). */
  type: string;
  /** ONNX element type for tensors (`float`, `double`, `int64`, …); null for non-tensor inputs. */
  elemType: string | null;
}

/** The input kind decides the output shape (DataFrame in → DataFrame out; otherwise a dict). */
export type InputKind = 'frame' | 'ndarray' | 'dict';

export interface Feeds {
  kind: InputKind;
  feeds: Record<string, WireTensor>;
}

/**
 * Builds the feed dictionary. Throws `E_MODEL_RUN` AppErrors carrying the Python exception the same
 * input raises in MLflow (so the scoring servers can answer with the right status), or
 * `E_UNSUPPORTED_MODEL` when the graph wants a non-tensor input onnxruntime-node cannot feed.
 */
export function buildFeeds(inputs: readonly GraphInput[], data: ModelIn, model: string): Feeds {
  let kind: InputKind;
  // A single-input DataFrame stays a Frame until its tensor is built (see frameTensor).
  const arrays = new Map<string, NdArray | Frame>();
  switch (data.kind) {
    case 'dict': {
      kind = 'dict';
      for (const [name, value] of data.items) {
        if (value.kind !== 'ndarray') {
          throw modelRunError(
            `${model}: input '${name}' must be an array of values, got ${value.kind === 'frame' ? 'a DataFrame' : 'a plain value'}. Send named tensors as {"${name}": [[…], …]}.`,
            { type: 'RuntimeError', message: `Input '${name}' is not a numpy array.` },
            model,
          );
        }
        arrays.set(name, value);
      }
      break;
    }
    case 'ndarray': {
      kind = 'ndarray';
      if (inputs.length !== 1) {
        // Exact text of the MlflowException (no error_code given → INTERNAL_ERROR → HTTP 500 in mlflow serve).
        const names = pyRepr(inputs.map((i) => i.name));
        const message =
          'Unable to map numpy array input to the expected model input. Numpy arrays can only be used as input for MLflow ONNX ' +
          `models that have a single input. This model requires ${inputs.length} inputs. Please pass in data as either a ` +
          `dictionary or a DataFrame with the following tensors: ${names}.`;
        throw modelRunError(message, { type: 'MlflowException', message, mlflowErrorCode: 'INTERNAL_ERROR' }, model);
      }
      arrays.set(inputs[0]!.name, data);
      break;
    }
    case 'frame': {
      kind = 'frame';
      if (inputs.length > 1) {
        for (const input of inputs) arrays.set(input.name, columnValues(data, input.name, model));
      } else {
        arrays.set(inputs[0]!.name, data);
      }
      break;
    }
    default: {
      const pyType = describePyType(data);
      const message = `Input should be a dictionary or a numpy array or a pandas.DataFrame, got '${pyType}'`;
      throw modelRunError(`${model}: ${message}.`, { type: 'TypeError', message }, model);
    }
  }

  validateFeedNames(inputs, [...arrays.keys()], model);
  const feeds: Record<string, WireTensor> = {};
  for (const [name, arr] of arrays) {
    const input = graphInput(inputs, name)!;
    if (input.elemType === null) {
      throw new AppError(
        RunnerErrorCodes.UNSUPPORTED_MODEL,
        `${model}: input '${name}' is ${input.type}. onnxruntime-node can only feed tensors, not sequences, maps or optionals, so Preflight cannot run this model without Python.`,
        { details: { model, input: name, type: input.type } },
      );
    }
    const arrDtype = arr.kind === 'frame' ? interleavedDtype(arr.columns.map((c) => c.dtype)) : arr.dtype;
    const dtype = feedDtype(input.type, arrDtype);
    const tensor = arr.kind === 'ndarray' ? toWireTensor(arr, dtype, name, model) : frameTensor(arr, dtype) ?? toWireTensor(frameValues(arr), dtype, name, model);
    putFeed(feeds, name, tensor);
  }
  return { kind, feeds };
}

/** The graph input of that name (`inputs.find`, without a callback per request). */
function graphInput(inputs: readonly GraphInput[], name: string): GraphInput | undefined {
  for (let k = 0; k < inputs.length; k++) if (inputs[k]!.name === name) return inputs[k];
  return undefined;
}

function describePyType(m: ModelIn): string {
  if (m.kind !== 'value') return "<class 'object'>";
  const v = m.value;
  const t = Array.isArray(v) ? 'list' : typeof v === 'string' ? 'str' : v instanceof Map ? 'dict' : v === null ? 'NoneType' : typeof v === 'boolean' ? 'bool' : typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)) ? 'int' : 'float';
  return `<class '${t}'>`;
}

/** onnxruntime (Python) `_validate_input` and the C++ "Invalid input name" check. */
function validateFeedNames(inputs: readonly GraphInput[], feedNames: string[], model: string): void {
  // Loops, not filter/map/find callbacks: every request passes here (and usually finds nothing).
  let missing: string[] | null = null;
  for (const i of inputs) if (!feedNames.includes(i.name) && !i.type.startsWith('optional')) (missing ??= []).push(i.name);
  if (missing !== null) {
    const message = `Required inputs (${pyRepr(missing)}) are missing from input feed (${pyRepr(feedNames)}).`;
    throw modelRunError(`${model}: ${message} The model's inputs are ${pyRepr(inputs.map((i) => i.name))}.`, { type: 'ValueError', message }, model);
  }
  let unknown: string | undefined;
  for (const n of feedNames) if (graphInput(inputs, n) === undefined) {
    unknown = n;
    break;
  }
  if (unknown !== undefined) {
    const message = `[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Invalid input name: ${unknown}`;
    throw modelRunError(
      `${model}: '${unknown}' is not an input of the model (its inputs are ${pyRepr(inputs.map((i) => i.name))}).`,
      { type: 'onnxruntime.capi.onnxruntime_pybind11_state.InvalidArgument', message },
      model,
    );
  }
}

/** `df[name].values`: a 1-D array with the column's dtype; a missing column is pandas' KeyError. */
function columnValues(frame: Frame, name: string, model: string): NdArray {
  const col = frame.columns.find((c) => c.name === name);
  if (!col) {
    const have = frame.columns.map((c) => pyStr(c.name));
    throw modelRunError(
      `${model}: the model has several inputs, so each is fed the DataFrame column of the same name, and there is no column '${name}' (columns: ${pyRepr(have)}).`,
      { type: 'KeyError', message: pyStrRepr(name) },
      model,
    );
  }
  return { kind: 'ndarray', dtype: col.dtype, shape: [frame.nrows], data: col.values };
}

/** `df.values`: rows × columns in column order, with pandas' interleaved (common) dtype. */
function frameValues(frame: Frame): NdArray {
  const ncols = frame.columns.length;
  const data: Cell[] = new Array(frame.nrows * ncols);
  for (let c = 0; c < ncols; c++) {
    const values = frame.columns[c]!.values;
    for (let r = 0; r < frame.nrows; r++) data[r * ncols + c] = values[r]!;
  }
  return { kind: 'ndarray', dtype: interleavedDtype(frame.columns.map((c) => c.dtype)), shape: [frame.nrows, ncols], data };
}

/**
 * `df.values` cast to a float tensor, written from the columns straight into the typed array: the
 * same values and layout as `toWireTensor(frameValues(frame), dtype)` without the row-major Cell[]
 * in between (a 10 000 × 10 request would build and drop 100 000 cells). Null for other dtypes.
 */
function frameTensor(frame: Frame, dtype: string): WireTensor | null {
  if (dtype !== 'float32' && dtype !== 'float64') return null;
  const ncols = frame.columns.length;
  const nrows = frame.nrows;
  const out = allocate(dtype, nrows * ncols) as Float32Array | Float64Array;
  for (let c = 0; c < ncols; c++) {
    const values = frame.columns[c]!.values;
    for (let r = 0, k = c; r < nrows; r++, k += ncols) {
      const v = values[r]!;
      out[k] = typeof v === 'number' ? v : cellNumber(v);
    }
  }
  return { type: dtype, dims: [nrows, ncols], data: out };
}

const cellNumber = (c: Cell): number => {
  if (typeof c === 'number') return c;
  if (typeof c === 'boolean') return c ? 1 : 0;
  if (typeof c === 'bigint') return Number(c);
  if (c instanceof PyFloat) return c.value;
  if (c === null) return NaN;
  if (typeof c === 'string') return Number(c);
  return NaN;
};

const cellBigInt = (c: Cell, bits: 'signed' | 'unsigned'): bigint => {
  const b = typeof c === 'bigint' ? c : BigInt(Math.trunc(cellNumber(c)) || 0);
  return bits === 'signed' ? BigInt.asIntN(64, b) : BigInt.asUintN(64, b);
};

function toWireTensor(arr: NdArray, dtype: string, name: string, model: string): WireTensor {
  const type: OrtType | null = ortTypeOfNumpy(dtype);
  if (type === null) {
    const message = `Unable to handle object of type ${dtype}`;
    throw modelRunError(
      `${model}: input '${name}' holds ${dtype} values, which onnxruntime cannot take as a tensor. Convert them to numbers or strings first.`,
      { type: 'RuntimeError', message },
      model,
    );
  }
  const n = arr.data.length;
  const expected = arr.shape.reduce((a, b) => a * b, 1);
  if (expected !== n) {
    // Ragged object arrays: numpy keeps the nested lists as elements; describe, do not guess.
    throw modelRunError(`${model}: input '${name}' is ragged (shape ${JSON.stringify(arr.shape)} but ${n} values); onnxruntime needs a rectangular array.`, { type: 'RuntimeError', message: 'setting an array element with a sequence.' }, model);
  }
  const data: TensorData = allocate(type, n);
  const cells = arr.data;
  if (type === 'string') {
    const out = data as string[];
    for (let k = 0; k < n; k++) out[k] = pyStr(cells[k]);
  } else if (type === 'int64' || type === 'uint64') {
    const out = data as BigInt64Array | BigUint64Array;
    const mode = type === 'int64' ? 'signed' : 'unsigned';
    for (let k = 0; k < n; k++) out[k] = cellBigInt(cells[k]!, mode);
  } else if (type === 'float16') {
    const out = data as Uint16Array;
    for (let k = 0; k < n; k++) out[k] = floatToHalfBits(cellNumber(cells[k]!));
  } else if (type === 'bool') {
    const out = data as Uint8Array;
    for (let k = 0; k < n; k++) {
      const x = cells[k]!;
      out[k] = typeof x === 'boolean' ? Number(x) : cellNumber(x) !== 0 ? 1 : 0;
    }
  } else {
    const out = data as Float32Array;
    // Typed-array stores give C casting (truncation toward zero, wrap-around) like numpy's astype.
    for (let k = 0; k < n; k++) out[k] = cellNumber(cells[k]!);
  }
  return { type, dims: arr.shape.slice(), data };
}

/**
 * `record[name] = value` for a feed record, where the name is a graph input's: any string, `__proto__`
 * included (an assignment would set the object's prototype instead of adding the key). A plain object and
 * a plain store otherwise: a prototype-less object (`Object.create(null)`) is a slow dictionary from the
 * start, and onnxruntime-node walks the feed record on every run — measured with bench/cpu-compare.ts,
 * the serving process spent ~5 µs more per 1-row request with prototype-less records and an LRU touch.
 */
export function putFeed<T>(record: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else record[name] = value;
}
