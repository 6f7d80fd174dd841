"""Runs Azure's real no-code scoring script (A1 mlflow_score_script.py) on one MLflow model folder, then sends
it requests through azureml-inference-server's real ObjectInput parser (A4) on a Flask test request, as
`azmlinfsrv` would (docs/fidelity.md "Azure's scoring script"). Not run in CI: it needs the sources, kept
outside the repository.

  A1_DIR=/work/ref/azure-src      # holds mlflow_score_script.py (Azure/azureml-assets, payloads.md A1)
  PYTHONPATH=<InferenceSchema src>:<dir holding azinf/{input_parsers,exceptions}.py from A4>:<mlflow tree>
  /usr/bin/python3 -W ignore run_a1.py MODEL_DIR '{"input_data": ...}' ...

Prints `IMPORT FAILURE: <exception>` when the script raises at import (the deployment never starts), else one
`REQ <body> -> <status> <answer or logged error>` line per body. The only stand-in is azureml-ai-monitoring's
Collector (not installable here; A1 calls it inside try/except, so a no-op changes no answer).
"""
import importlib.util, inspect, json, logging, os, sys, traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import a1_stub  # noqa: E402,F401 - installs the Collector stand-in named above

import flask  # noqa: E402
from azinf.input_parsers import ObjectInput, InputError  # noqa: E402

logging.basicConfig(level=logging.INFO, format="LOG %(name)s %(levelname)s: %(message)s", stream=sys.stdout)
model_dir = os.path.abspath(sys.argv[1])
os.environ["AZUREML_MODEL_DIR"] = os.path.dirname(model_dir)
os.environ["MLFLOW_MODEL_FOLDER"] = os.path.basename(model_dir)
spec = importlib.util.spec_from_file_location("mlflow_score_script", os.path.join(os.environ["A1_DIR"], "mlflow_score_script.py"))
mod = importlib.util.module_from_spec(spec)
try:
    spec.loader.exec_module(mod)
except BaseException as e:
    print(f"IMPORT FAILURE: {type(e).__name__}: {e}")
    traceback.print_exc(limit=-3, file=sys.stdout)
    sys.exit(0)
print("IMPORT OK; input_param =", type(mod.input_param).__name__)
mod.init()
app = flask.Flask("a4")
parser = ObjectInput([p for p in inspect.signature(mod.run).parameters.values() if p.name != "request_headers"])
for body in sys.argv[2:]:
    with app.test_request_context("/score", method="POST", data=body.encode(), content_type="application/json"):
        try:
            kwargs = parser(flask.request)
        except InputError as e:
            print(f"REQ {body} -> 400/415 {e}")
            continue
        try:
            print(f"REQ {body} -> 200 {json.dumps(mod.run(**kwargs))}")
        except Exception as e:  # azmlinfsrv answers every exception of run() with the generic 500
            print(f"REQ {body} -> 500 (log: {type(e).__name__}: {str(e)[:600]})")
