/**
 * An ONNX prediction (outputs.ts) → what MLflow's onnx pyfunc wrapper returned, in the output
 * serializers' terms (onnx-flavor.md "Outputs"). Shared by `RunnerService` and the ONNX serving process,
 * so both write the same bytes.
 */
import type { Cell } from '@shared/mlflow/payload/frame';
import { PyFloat, type PyDict } from '@shared/mlflow/payload/py-json';
import type { NdArrayValue, Prediction } from '@shared/mlflow/output/prediction';
import type { OnnxPrediction, OutputValue } from './outputs';

function ndarrayOf(v: Extract<OutputValue, { kind: 'ndarray' }>): NdArrayValue {
  return { kind: 'ndarray', dtype: v.dtype, shape: v.shape, data: v.data };
}

/** ZipMap rows as Python's onnxruntime returns them: dicts of label → float (floats stay floats: 1.0, not 1). */
function zipMapRows(v: Extract<OutputValue, { kind: 'maps' }>): Cell[] {
  const rows: Cell[] = new Array(v.count);
  const keys = (v.keys as (string | bigint)[]).map((k) => String(k));
  const c = keys.length;
  for (let r = 0; r < v.count; r++) {
    const m: PyDict = new Map();
    for (let k = 0; k < c; k++) {
      const x = v.values[r * c + k]!;
      m.set(keys[k]!, Number.isInteger(x) ? new PyFloat(x) : x);
    }
    rows[r] = m;
  }
  return rows;
}

export function fromOnnxPrediction(p: OnnxPrediction): Prediction {
  if (p.kind === 'frame') {
    return {
      kind: 'dataframe',
      nrows: p.nrows,
      columns: p.columns.map(({ name, value }) => ({
        name,
        values: value.kind === 'ndarray' ? ndarrayOf(value) : { kind: 'ndarray', dtype: 'object', shape: [value.count], data: zipMapRows(value) },
      })),
    };
  }
  return {
    kind: 'dict',
    items: p.items.map(({ name, value }) => [name, value.kind === 'ndarray' ? ndarrayOf(value) : { kind: 'list', items: zipMapRows(value).map((m) => ({ kind: 'object', value: m })) }] as const),
  };
}

/**
 * Why Azure answers 500 when the ONNX flavor returned a dict (docs/fidelity.md "An ONNX model's dict answer on
 * Azure"): `_OnnxModelWrapper.predict` returns a DataFrame only for a DataFrame input, and A1's `run()` hands its
 * result to `_get_jsonable_obj`, which converts a top-level ndarray/DataFrame/Series and passes a dict through, so
 * azmlinfsrv's plain json.dumps meets the output arrays inside it. None for a frame (its records encode).
 */
export function azureUnencodableReason(p: OnnxPrediction): string | undefined {
  if (p.kind === 'frame') return undefined;
  return (
    'Why: an ONNX model returns a dict of its outputs (' + p.items.map((i) => i.name).join(', ') + ') when it is given an array or named tensors, ' +
    "and Azure's scoring script returns that dict as it is (_get_jsonable_obj converts only an ndarray or a DataFrame), so the real " +
    'deployment answers this same 500. To get 200 from Azure, send input_data in split form {"columns": [...], "index": [...], "data": [...]}: ' +
    'the ONNX model then returns a DataFrame, written as records. That needs a column signature or none; with a tensor signature every ' +
    'request fails like this, so re-log the model with a column signature or deploy it with a scoring script of your own.'
  );
}
