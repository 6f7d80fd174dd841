"""Writes the MLflow folders the Azure script branches were run on, with MLflow's own writer (run with the
MLflow 2.12.2 tree on PYTHONPATH): write_models.py OUT_DIR. Each model echoes what it receives. Folders whose
name ends in -transformers/-langchain/-openai/-nosig are copies whose MLmodel gets that flavor name added (A1
only tests `"<name>" in model.flavors`) or its signature removed, saved back by `Model.save`."""
import os, shutil, sys
import mlflow.pyfunc
from mlflow.models import Model, ModelSignature
from mlflow.types.schema import Array, ColSpec, DataType, Schema

class Echo(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        import numpy as np, pandas as pd
        if isinstance(model_input, pd.DataFrame):
            return {"kind": "DataFrame", "dtypes": {str(k): str(v) for k, v in model_input.dtypes.items()}, "rows": len(model_input)}
        if isinstance(model_input, np.ndarray):
            return {"kind": "ndarray", "dtype": str(model_input.dtype), "shape": list(model_input.shape)}
        return {"kind": type(model_input).__name__, "repr": repr(model_input)[:200]}

out = sys.argv[1]
def save(name, sig, ex=None, noconv=False):
    p = os.path.join(out, name)
    shutil.rmtree(p, ignore_errors=True)
    kw = dict(input_example=ex, example_no_conversion=noconv) if ex is not None else {}
    mlflow.pyfunc.save_model(p, python_model=Echo(), signature=sig, **kw)
def variant(src, dst, change):
    p = os.path.join(out, dst)
    shutil.rmtree(p, ignore_errors=True)
    shutil.copytree(os.path.join(out, src), p)
    m = Model.load(p); change(m); m.save(os.path.join(p, "MLmodel"))

ab = ModelSignature(inputs=Schema([ColSpec("double", "a"), ColSpec("string", "b")]))
arr = Array(DataType.double)
save("jo-dict-lists", ab, {"a": [1.0, 2.0], "b": ["x", "y"]}, True)
save("jo-dict-scalars", ab, {"a": 1.0, "b": "x"}, True)
save("jo-list", ab, [[1.0, "x"]], True)
save("jo-empty", ab, {}, True)
save("jo-string", ab, "hello", True)
variant("jo-dict-lists", "jo-dict-nosig", lambda m: setattr(m, "signature", None))
for flavor in ("transformers", "langchain", "openai"):
    variant("jo-dict-lists", f"jo-dict-{flavor}", lambda m, f=flavor: m.flavors.__setitem__(f, {}))
save("unnamed-array", ModelSignature(inputs=Schema([ColSpec(arr)])))
save("unnamed-string-array", ModelSignature(inputs=Schema([ColSpec(DataType.string), ColSpec(arr)])))
save("unnamed-scalars", ModelSignature(inputs=Schema([ColSpec(DataType.double), ColSpec(DataType.string)])))
save("named-scalar-then-array", ModelSignature(inputs=Schema([ColSpec("double", "a"), ColSpec(arr, "v")])))
save("named-array-first", ModelSignature(inputs=Schema([ColSpec(arr, "v"), ColSpec("double", "a")])))
save("array-output", ModelSignature(inputs=Schema([ColSpec("double", "a")]), outputs=Schema([ColSpec(arr, "o")])))
import pandas as pd  # noqa: E402
save("array-input-df-example", ModelSignature(inputs=Schema([ColSpec("double", "a"), ColSpec(arr, "v")])), pd.DataFrame({"a": [1.0], "v": [[1.0, 2.0]]}))
variant("jo-dict-lists", "gpt2-like-transformers", lambda m: (setattr(m, "signature", ModelSignature(inputs=Schema([ColSpec(DataType.string)]))), setattr(m, "saved_input_example_info", None), m.flavors.__setitem__("transformers", {})))
# Array-column texts (docs/fidelity.md "Array columns: the type names MLflow prints")
for name, types in {"unnamed-array-long": [Array(DataType.long)], "unnamed-array-string": [Array(DataType.string)],
                    "unnamed-array-array": [Array(Array(DataType.double))],
                    "unnamed-string-array-array": [DataType.string, Array(Array(DataType.double))],
                    "unnamed-string-array-string": [DataType.string, Array(DataType.string)]}.items():
    save(name, ModelSignature(inputs=Schema([ColSpec(t) for t in types])))
