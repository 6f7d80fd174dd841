"""Builds real scikit-learn MLflow model folders for the Python-engine tests, without mlflow.

Usage: python3 make-sklearn-model.py <out-dir>

Writes, under <out-dir>:
  diabetes/    LinearRegression on sklearn's diabetes data (10 double columns), cloudpickle
  iris/        LogisticRegression on iris (4 double columns, int64 labels), cloudpickle
  iris-proba/  the same classifier with python_function.predict_fn = predict_proba, plain pickle
  tricky/      a model whose predict misbehaves on request (exits the process, raises, sleeps, prints,
               returns values Azure's json.dumps cannot encode), cloudpickle by value
  expected.json  inputs and the exact response bodies sklearn's own predictions give
                 (MLflow: json.dumps({"predictions": pred.tolist()}); Azure: json.dumps(pred.tolist()))

Each folder is laid out the way mlflow.sklearn.save_model lays it out (MLmodel with python_function +
sklearn flavors and a signature, conda.yaml, python_env.yaml, requirements.txt pinning the installed
versions), so the folder is what a user would open.
"""

import json
import os
import pickle
import platform
import sys
import time
import uuid

import cloudpickle
import numpy as np
import pandas as pd
import sklearn
import yaml
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression

MLFLOW_VERSION = "2.12.2"


def pins():
    return [
        "mlflow==%s" % MLFLOW_VERSION,
        "cloudpickle==%s" % cloudpickle.__version__,
        "numpy==%s" % np.__version__,
        "pandas==%s" % pd.__version__,
        "scikit-learn==%s" % sklearn.__version__,
    ]


def write_env_files(folder):
    py = platform.python_version()
    with open(os.path.join(folder, "requirements.txt"), "w") as f:
        f.write("\n".join(pins()) + "\n")
    conda = {
        "channels": ["conda-forge"],
        "dependencies": ["python=%s" % py, "pip<=23.0.1", {"pip": pins()}],
        "name": "mlflow-env",
    }
    with open(os.path.join(folder, "conda.yaml"), "w") as f:
        yaml.safe_dump(conda, f, sort_keys=False)
    with open(os.path.join(folder, "python_env.yaml"), "w") as f:
        yaml.safe_dump({"python": py, "build_dependencies": ["pip==23.0.1"], "dependencies": ["-r requirements.txt"]}, f, sort_keys=False)


def col_signature(names, typ="double"):
    return json.dumps([{"type": typ, "name": n, "required": True} for n in names])


def save(folder, model, inputs_sig, outputs_sig, fmt="cloudpickle", predict_fn=None):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.pkl"), "wb") as f:
        (cloudpickle if fmt == "cloudpickle" else pickle).dump(model, f)
    pyfunc = {
        "env": {"conda": "conda.yaml", "virtualenv": "python_env.yaml"},
        "loader_module": "mlflow.sklearn",
        "model_path": "model.pkl",
        "predict_fn": predict_fn or "predict",
        "python_version": platform.python_version(),
    }
    mlmodel = {
        "artifact_path": "model",
        "flavors": {
            "python_function": pyfunc,
            "sklearn": {
                "code": None,
                "pickled_model": "model.pkl",
                "serialization_format": fmt,
                "sklearn_version": sklearn.__version__,
            },
        },
        "mlflow_version": MLFLOW_VERSION,
        "model_size_bytes": os.path.getsize(os.path.join(folder, "model.pkl")),
        "model_uuid": uuid.uuid4().hex,
        "run_id": uuid.uuid4().hex,
        "signature": {"inputs": inputs_sig, "outputs": outputs_sig, "params": None},
        "utc_time_created": time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime()),
    }
    with open(os.path.join(folder, "MLmodel"), "w") as f:
        yaml.safe_dump(mlmodel, f, sort_keys=False)
    write_env_files(folder)


class Tricky:
    """predict(X) does what X["action"][0] says; the tests use it to break the worker on purpose."""

    def predict(self, X):
        action = X["action"].iloc[0]
        if action == "ok":
            return X["x"].to_numpy() * 2
        if action == "exit":
            sys.stderr.write("tricky model: exiting the process now\n")
            sys.stderr.flush()
            os._exit(7)
        if action == "raise":
            raise ValueError("tricky model refuses action 'raise'")
        if action == "sleep":
            time.sleep(60)
            return np.zeros(len(X))
        if action == "print":
            print("noise a model writes to stdout")
            os.write(1, b"noise written straight to fd 1\n")
            return np.array([1.0])
        if action == "numpy-list":
            return [np.int64(1), np.float32(0.5)]
        if action == "nan":
            return np.array([np.nan, np.inf, -np.inf, 0.1])
        if action == "timestamp":
            return pd.DataFrame({"when": [pd.Timestamp("2024-01-02 03:04:05")], "y": [1.5]})
        if action == "echo":
            return pd.DataFrame({"column": [str(c) for c in X.columns], "dtype": [str(d) for d in X.dtypes]})
        raise KeyError(action)


def server_frame(rows, names):
    """The DataFrame `mlflow models serve` builds from a dataframe_split body with a double-column
    signature (payloads.md §2.1): pandas.DataFrame(data=<list of rows>, columns=...) then astype per
    column. Its memory layout decides BLAS's summation order, so the last digit of a prediction
    depends on it; the expected values must come from the same layout."""
    df = pd.DataFrame(data=[list(map(float, r)) for r in rows], columns=names)
    for c in names:
        df[c] = df[c].astype(np.float64)
    return df


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    expected = {}

    d = load_diabetes()
    names = list(d.feature_names)
    reg = LinearRegression().fit(pd.DataFrame(d.data, columns=names), d.target)
    save(os.path.join(out, "diabetes"), reg, col_signature(names), json.dumps([{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]))
    rows = d.data[:5]
    pred = reg.predict(server_frame(rows, names))
    expected["diabetes"] = {
        "columns": names,
        "rows": rows.tolist(),
        "mlflow_body": json.dumps({"predictions": pred.tolist()}),
        "azureml_body": json.dumps(pred.tolist()),
    }

    i = load_iris()
    inames = list(i.feature_names)
    clf = LogisticRegression(max_iter=1000).fit(pd.DataFrame(i.data, columns=inames), i.target)
    out_sig = json.dumps([{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}])
    save(os.path.join(out, "iris"), clf, col_signature(inames), out_sig)
    save(os.path.join(out, "iris-proba"), clf, col_signature(inames), None, fmt="pickle", predict_fn="predict_proba")
    irows = i.data[[0, 50, 100, 149]]
    X = server_frame(irows, inames)
    expected["iris"] = {
        "columns": inames,
        "rows": irows.tolist(),
        "mlflow_body": json.dumps({"predictions": clf.predict(X).tolist()}),
        "azureml_body": json.dumps(clf.predict(X).tolist()),
        "proba_mlflow_body": json.dumps({"predictions": clf.predict_proba(X).tolist()}),
    }

    save(
        os.path.join(out, "tricky"),
        Tricky(),
        json.dumps([{"type": "string", "name": "action", "required": True}, {"type": "double", "name": "x", "required": True}]),
        None,
    )

    expected["versions"] = {
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "cloudpickle": cloudpickle.__version__,
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
