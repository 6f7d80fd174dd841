"""Runs MLflow 2.12.2's own scoring-server handler (`mlflow.pyfunc.scoring_server.invocations`) in-process on
pyfunc folders with Array/Object columns, the way docs/fidelity.md "Array columns: the type names MLflow prints"
was measured. Not run in CI (it needs the MLflow tree, kept outside the repository).

  PYTHONPATH=<mlflow 2.12.2 tree> /usr/bin/python3 -W ignore run_invocations.py OUT_DIR CASES_FILE

writes the folders `n-ad`, `n-aad`, `n-as`, `n-al`, `n-ab`, `n-ao` (signature `[a: double, v: Array(…)]`) into
OUT_DIR, then for each `FOLDER BODY` line of CASES_FILE prints `FOLDER BODY -> <status> <message>` or
`-> RAISE <exception> <message>` (an exception the real server's Flask handler turns into its answer).
"""
import json, os, shutil, sys
import mlflow.pyfunc
from mlflow.models import ModelSignature
from mlflow.pyfunc import scoring_server
from mlflow.types.schema import Array, ColSpec, DataType, Object, Property, Schema

class Echo(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return {"kind": type(model_input).__name__}

out, cases = sys.argv[1], sys.argv[2]
types = {"ad": Array(DataType.double), "aad": Array(Array(DataType.double)), "as": Array(DataType.string),
         "al": Array(DataType.long), "ab": Array(DataType.boolean), "ao": Array(Object([Property("k", DataType.double)]))}
for n, t in types.items():
    p = os.path.join(out, "n-" + n)
    shutil.rmtree(p, ignore_errors=True)
    mlflow.pyfunc.save_model(p, python_model=Echo(), signature=ModelSignature(inputs=Schema([ColSpec("double", "a"), ColSpec(t, "v")])))
for line in open(cases).read().strip().split("\n"):
    folder, body = line.split(" ", 1)
    m = mlflow.pyfunc.load_model(os.path.join(out, folder))
    try:
        r = scoring_server.invocations(body, "application/json", m, m.metadata.get_input_schema())
        print(folder, body, "->", r.status, json.loads(r.response).get("message", r.response) if r.status != 200 else r.response)
    except Exception as e:
        print(folder, body, "-> RAISE", type(e).__name__, str(e).replace("\n", "|"))
