/**
 * The numpy dtype and shape each ONNX graph input is fed, as MLflow's onnx pyfunc wrapper builds its feeds
 * (mlflow/onnx/__init__.py `_OnnxModelWrapper.predict`, `_cast_float64_to_float32`): one rule for the runner,
 * which builds the tensors, and for `validate`, which warns when onnxruntime will refuse them. onnxruntime checks
 * the element type strictly ("Unexpected input data type"; the wrapper casts float64 to float32 and nothing else)
 * and every fixed dimension of the graph input's shape ("Invalid rank", "Got invalid dimensions").
 */
import type { ModelIn } from './model-input';

const NUMERIC = /^(u?int|float)(8|16|32|64)$/;

/**
 * pandas `DataFrame.values` dtype (`find_common_type` over the column dtypes): one dtype → itself; bool
 * mixed with anything, object, or datetime mixed with anything → object; numbers → numpy promotion.
 */
export function interleavedDtype(dtypes: readonly string[]): string {
  if (dtypes.length === 0) return 'float64';
  if (dtypes.every((d) => d === dtypes[0])) return dtypes[0]!;
  if (!dtypes.every((d) => NUMERIC.test(d))) return 'object';
  return dtypes.reduce(promote);
}

function promote(a: string, b: string): string {
  const pa = NUMERIC.exec(a)!, pb = NUMERIC.exec(b)!;
  const ka = pa[1]!, kb = pb[1]!;
  const sa = Number(pa[2]), sb = Number(pb[2]);
  if (ka === kb) return `${ka}${Math.max(sa, sb)}`;
  if (ka === 'float' || kb === 'float') {
    const [fs, is] = ka === 'float' ? [sa, sb] : [sb, sa];
    // The smallest float that holds every value of the integer type.
    const need = is === 8 ? 16 : is === 16 ? 32 : 64;
    return `float${Math.max(fs, need)}`;
  }
  const [us, ss] = ka === 'uint' ? [sa, sb] : [sb, sa];
  if (ss > us) return `int${ss}`;
  return us * 2 <= 64 ? `int${us * 2}` : 'float64';
}

/** mlflow issue 1286: a float64 array for a `tensor(float)` input is cast to float32; nothing else is cast. */
export function feedDtype(inputType: string, arrayDtype: string): string {
  return inputType === 'tensor(float)' && arrayDtype === 'float64' ? 'float32' : arrayDtype;
}

/** ONNX element type names (`float`, `double`, …) of the numeric numpy dtypes onnxruntime maps one to one. */
const ONNX_OF_NUMPY: Record<string, string> = {
  float16: 'float16', float32: 'float', float64: 'double', bool: 'bool',
  int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', uint8: 'uint8', uint16: 'uint16', uint32: 'uint32', uint64: 'uint64',
};
const NUMERIC_ONNX = new Set(Object.values(ONNX_OF_NUMPY));

/**
 * A graph input: its name, ONNX element type (`float`, `int64`, …; null when it is not a tensor) and shape as the
 * graph declares it (a number is a fixed dimension, a string a symbolic one, null unknown; null: no shape at all).
 */
export interface OnnxFeedInput {
  name: string;
  elemType: string | null;
  shape?: readonly (number | string | null)[] | null;
}

export interface FeedMismatch {
  input: string;
  /** numpy dtype of the feed after the wrapper's cast. */
  dtype: string;
  /** ONNX element type of the graph input. */
  expected: string;
}

/**
 * The inputs whose feed onnxruntime will refuse for its element type: numeric or bool feeds for a numeric or bool
 * input of another type (strings and objects are left to onnxruntime: what it makes of them depends on the values).
 * Empty when the feeds cannot be built at all (missing inputs, a plain value): the runner answers those itself.
 */
export function feedMismatches(inputs: readonly OnnxFeedInput[], data: ModelIn): FeedMismatch[] {
  const feeds = feedArrays(inputs, data);
  const out: FeedMismatch[] = [];
  for (const input of inputs) {
    const given = feeds.get(input.name)?.dtype;
    if (given === undefined || input.elemType === null || !NUMERIC_ONNX.has(input.elemType)) continue;
    const dtype = feedDtype(`tensor(${input.elemType})`, given);
    const actual = ONNX_OF_NUMPY[dtype];
    if (actual !== undefined && actual !== input.elemType) out.push({ input: input.name, dtype, expected: input.elemType });
  }
  return out;
}

/** The dtype and shape of the array the wrapper feeds each input, by input name (none where it cannot build one). */
function feedArrays(inputs: readonly OnnxFeedInput[], data: ModelIn): Map<string, { dtype: string; shape: readonly number[] }> {
  const feeds = new Map<string, { dtype: string; shape: readonly number[] }>();
  if (data.kind === 'dict') {
    for (const [name, value] of data.items) if (value.kind === 'ndarray') feeds.set(name, value);
  } else if (data.kind === 'ndarray') {
    if (inputs.length === 1) feeds.set(inputs[0]!.name, data);
  } else if (data.kind === 'frame') {
    // one input: `df.values` (rows × columns); several: `df[name].values`, one column each
    if (inputs.length === 1) feeds.set(inputs[0]!.name, { dtype: interleavedDtype(data.columns.map((c) => c.dtype)), shape: [data.nrows, data.columns.length] });
    else for (const c of data.columns) if (typeof c.name === 'string') feeds.set(c.name, { dtype: c.dtype, shape: [data.nrows] });
  }
  return feeds;
}

export interface ShapeMismatch {
  input: string;
  /** The feed's shape. */
  shape: readonly number[];
  /** The graph input's declared shape (symbolic dimensions by name, unknown ones null). */
  expected: readonly (number | string | null)[];
  /** True when the number of dimensions differs (`indices` then empty); else `indices` holds the fixed dimensions that differ. */
  rank: boolean;
  indices: number[];
}

/**
 * The inputs whose feed onnxruntime will refuse for its shape (`InferenceSession::ValidateInputs` → `CheckShapes`): the
 * rank must equal the declared one, and every fixed (non-negative) dimension must match; symbolic and unknown ones
 * take anything. Object (string, ragged) arrays are left out: their numpy shape is not always the tensor's.
 */
export function shapeMismatches(inputs: readonly OnnxFeedInput[], data: ModelIn): ShapeMismatch[] {
  const feeds = feedArrays(inputs, data);
  const out: ShapeMismatch[] = [];
  for (const input of inputs) {
    const feed = feeds.get(input.name);
    const expected = input.shape;
    if (!feed || !expected || input.elemType === null || feed.dtype === 'object') continue;
    if (feed.shape.length !== expected.length) {
      out.push({ input: input.name, shape: feed.shape, expected, rank: true, indices: [] });
      continue;
    }
    const indices = expected.flatMap((d, k) => (typeof d === 'number' && d >= 0 && feed.shape[k] !== d ? [k] : []));
    if (indices.length > 0) out.push({ input: input.name, shape: feed.shape, expected, rank: false, indices });
  }
  return out;
}

/** `[N, 4]` for a declared shape (symbolic dimensions by name, unknown ones as `?`). */
export function shapeText(shape: readonly (number | string | null)[]): string {
  return `[${shape.map((d) => (d === null || (typeof d === 'number' && d < 0) ? '?' : String(d))).join(', ')}]`;
}

/** A type as numpy (`int64`, `float32`), ONNX (`float`, `double`) or onnxruntime (`tensor(int64)`) names it: its bare name. */
const bare = (type: string): string => /^tensor\((\w+)\)$/.exec(type)?.[1] ?? type;
const INTEGRAL = /^(u?int(8|16|32|64)|bool)$/;
const FLOATING = /^(float(16|32|64)?|double)$/;

/** Integers (or booleans) fed to a float input: the commonest refusal, numbers written without a decimal point. */
export function intsForFloats(given: string, expected: string): boolean {
  return INTEGRAL.test(bare(given)) && FLOATING.test(bare(expected));
}

/** What to send instead when onnxruntime refuses a feed for its element type: `validate`'s warning and `predict`'s log say it alike. */
export function feedTypeAdvice(given: string, expected: string): string {
  return `${intsForFloats(given, expected) ? 'Write them as floats (0.0, not 0)' : 'Send values of that type'}, or log the model with a tensor signature (MLflow then casts the request to its dtype).`;
}
