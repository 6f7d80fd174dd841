"""Builds the seven model folders of the recorded differential suite (test/fidelity), without mlflow.

Usage: python3 make-fidelity-models.py <out-dir>

Deterministic (fixed data, fixed seeds, no uuids/timestamps that reach an answer), so the folders
built on CI answer what the real servers answered when the recordings were made:
  regression/   LinearRegression on 3 diabetes columns (double), signature
  mixed/        a Pipeline(OneHotEncoder on a string column + passthrough, LogisticRegression) on
                long / integer (int32) / string / float / boolean / double columns, signature
  mixed-proba/  the same classifier with python_function.predict_fn = predict_proba
  tensor/       LogisticRegression on iris with a tensor signature (float64, shape [-1, 4])
  nosig/        the regression with no signature at all
  params/       the regression with a params schema (long, double, string, boolean, long[] with defaults)
  tensors/      a pyfunc whose predict sums named tensors a (float64 [-1, 2]) and b (int64 [-1]) per row
  optional/     LinearRegression on x behind a ColumnTransformer, signature x (double) plus n (long) and tag (string)
                with "required": false — MLflow 2.7.1 cannot load it (its ColSpec has no `required`): 2.12.2 only
  typed/        LinearRegression on x (double) and n (long) behind a ColumnTransformer that drops the other
                signature columns, when (datetime) and blob (binary): the fresh suite's dates and bytes reach
                the model and it still answers
Laid out as mlflow.sklearn.save_model lays them out (make-sklearn-model.py's helpers).

The fitted parameters are pinned (`model-params.json`): fitting is floating-point arithmetic through OpenBLAS,
whose kernels depend on the CPU, so the same script fits other coefficients on another machine — the last bit of
LinearRegression's, and LogisticRegression's lbfgs path far enough to move a probability by 1e-2 and flip a label
(seen at stop 20: the recordings before it were made where OpenBLAS ran its SkylakeX kernels; the machines of
stop 20 set OPENBLAS_CORETYPE=Haswell in their environment). The answers recorded from real servers are those of the models that answered them, so every fitted
estimator gets the coefficients of a named set, whatever this CPU would fit:
  --params NAME         the set to use (default `skylakex`: fitted with OPENBLAS_CORETYPE=SkylakeX, the recordings
                        made before stop 20; `haswell`: OPENBLAS_CORETYPE=Haswell, the recordings made at stop 20)
  --write-params NAME   fit on this machine and store the coefficients as set NAME (run with OPENBLAS_CORETYPE set
                        to the kernels the set is named after)
"""

import json
import os
import sys

import numpy as np
import pandas as pd
import yaml
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "make_sklearn_model", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "make-sklearn-model.py")
)
msm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(msm)

REG_COLUMNS = ["age", "bmi", "bp"]
MIXED = [("n_long", "long"), ("n_int", "integer"), ("city", "string"), ("score", "float"), ("flag", "boolean"), ("amount", "double")]
CITIES = ["basic", "paris", "tokyo"]


PARAMS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model-params.json")
PARAMS = {"use": "skylakex", "write": None, "sets": {}}


def pinned(name, est):
    """`est` with the fitted coefficients of the chosen set (or, with --write-params, its own recorded)."""
    final = est.steps[-1][1] if isinstance(est, Pipeline) else est
    if PARAMS["write"] is not None:
        PARAMS["sets"].setdefault(PARAMS["write"], {})[name] = {
            "coef": final.coef_.tolist(), "intercept": np.asarray(final.intercept_).tolist()}
        return est
    got = PARAMS["sets"].get(PARAMS["use"], {}).get(name)
    if got is None:
        raise SystemExit(f"model-params.json has no set {PARAMS['use']!r} for {name!r}; write it with --write-params")
    final.coef_ = np.asarray(got["coef"], dtype=np.float64).reshape(final.coef_.shape)
    intercept = np.asarray(got["intercept"], dtype=np.float64)
    final.intercept_ = intercept.reshape(np.shape(final.intercept_)) if np.ndim(final.intercept_) else np.float64(intercept)
    return est


def fix_mlmodel(folder):
    """save() writes a random uuid/run id and the build time; fixed values keep the folder reproducible."""
    path = os.path.join(folder, "MLmodel")
    with open(path) as f:
        m = yaml.safe_load(f)
    m["model_uuid"] = "0" * 32
    m["run_id"] = "1" * 32
    m["utc_time_created"] = "2024-01-01 00:00:00.000000"
    return path, m


def col_signature(cols):
    """Without the "required" key: MLflow 2.7.1's ColSpec does not know it (2.12 defaults it to true)."""
    return json.dumps([{"type": t, "name": n} for n, t in cols])


def write_mlmodel(path, m):
    with open(path, "w") as f:
        yaml.safe_dump(m, f, sort_keys=False)


def regression():
    d = load_diabetes(as_frame=True)
    X = d.data[REG_COLUMNS]
    return pinned("regression", LinearRegression().fit(X, d.target))


def mixed_classifier():
    rng = np.random.RandomState(7)
    n = 120
    df = pd.DataFrame(
        {
            "n_long": rng.randint(0, 100, n).astype(np.int64),
            "n_int": rng.randint(-5, 5, n).astype(np.int32),
            "city": [CITIES[i] for i in rng.randint(0, 3, n)],
            "score": rng.rand(n).astype(np.float32),
            "flag": rng.rand(n) > 0.5,
            "amount": rng.rand(n) * 1000,
        }
    )
    y = ((df["n_long"] > 50) ^ df["flag"]).astype(np.int64) + (df["city"] == "tokyo").astype(np.int64)
    pre = ColumnTransformer(
        [("city", OneHotEncoder(handle_unknown="ignore"), ["city"])],
        remainder="passthrough",
    )
    return pinned("mixed", Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=2000))]).fit(df, y))


TYPED = [("x", "double"), ("when", "datetime"), ("blob", "binary"), ("n", "long")]


class NamedTensorSum:
    """predict({"a": (n, 2) floats, "b": (n,) ints}) = a.sum(axis=1) + b; pickled by value (cloudpickle, __main__)."""

    def predict(self, X):
        return np.asarray(X["a"], dtype=np.float64).sum(axis=1) + np.asarray(X["b"], dtype=np.float64)


def typed_regression():
    rng = np.random.RandomState(11)
    df = pd.DataFrame({"x": rng.rand(40), "n": rng.randint(0, 10, 40).astype(np.int64)})
    y = 3 * df["x"] + df["n"]
    pre = ColumnTransformer([("num", "passthrough", ["x", "n"])], remainder="drop")
    return pinned("typed", Pipeline([("pre", pre), ("reg", LinearRegression())]).fit(df, y))


def main():
    args = sys.argv[1:]
    for flag in ("--params", "--write-params"):
        if flag in args:
            k = args.index(flag)
            PARAMS["use" if flag == "--params" else "write"] = args[k + 1]
            del args[k:k + 2]
    out = args[0]
    if os.path.exists(PARAMS_FILE):
        with open(PARAMS_FILE) as f:
            PARAMS["sets"] = json.load(f)
    os.makedirs(out, exist_ok=True)
    reg = regression()
    out_double = json.dumps([{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}])

    msm.save(os.path.join(out, "regression"), reg, col_signature([(c, "double") for c in REG_COLUMNS]), out_double)
    write_mlmodel(*fix_mlmodel(os.path.join(out, "regression")))

    clf = mixed_classifier()
    mixed_sig = col_signature(MIXED)
    msm.save(os.path.join(out, "mixed"), clf, mixed_sig, json.dumps([{"type": "long"}]))
    write_mlmodel(*fix_mlmodel(os.path.join(out, "mixed")))
    msm.save(os.path.join(out, "mixed-proba"), clf, mixed_sig, None, fmt="pickle", predict_fn="predict_proba")
    write_mlmodel(*fix_mlmodel(os.path.join(out, "mixed-proba")))

    i = load_iris()
    iclf = pinned("tensor", LogisticRegression(max_iter=1000).fit(i.data, i.target))
    tensor_sig = json.dumps([{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 4]}}])
    msm.save(os.path.join(out, "tensor"), iclf, tensor_sig, json.dumps([{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]))
    write_mlmodel(*fix_mlmodel(os.path.join(out, "tensor")))

    msm.save(os.path.join(out, "nosig"), reg, None, None)
    path, m = fix_mlmodel(os.path.join(out, "nosig"))
    del m["signature"]
    write_mlmodel(path, m)

    msm.save(os.path.join(out, "params"), reg, col_signature([(c, "double") for c in REG_COLUMNS]), out_double)
    path, m = fix_mlmodel(os.path.join(out, "params"))
    m["signature"]["params"] = json.dumps(
        [
            {"name": "k", "type": "long", "default": 1, "shape": None},
            {"name": "temperature", "type": "double", "default": 0.5, "shape": None},
            {"name": "mode", "type": "string", "default": "fast", "shape": None},
            {"name": "verbose", "type": "boolean", "default": False, "shape": None},
            {"name": "ids", "type": "long", "default": [1, 2], "shape": [-1]},
        ]
    )
    write_mlmodel(path, m)

    msm.save(os.path.join(out, "typed"), typed_regression(), col_signature(TYPED), out_double)
    write_mlmodel(*fix_mlmodel(os.path.join(out, "typed")))

    opt = Pipeline([("pre", ColumnTransformer([("num", "passthrough", ["x"])], remainder="drop")), ("reg", LinearRegression())])
    pinned("optional", opt.fit(pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]}), [1.0, 3.0, 5.0, 7.0]))
    opt_sig = json.dumps([{"type": "double", "name": "x", "required": True}, {"type": "long", "name": "n", "required": False},
                          {"type": "string", "name": "tag", "required": False}])
    msm.save(os.path.join(out, "optional"), opt, opt_sig, out_double)
    write_mlmodel(*fix_mlmodel(os.path.join(out, "optional")))

    named = json.dumps([
        {"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 2]}, "name": "a"},
        {"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "b"},
    ])
    msm.save(os.path.join(out, "tensors"), NamedTensorSum(), named, out_double)
    write_mlmodel(*fix_mlmodel(os.path.join(out, "tensors")))

    if PARAMS["write"] is not None:
        tmp = PARAMS_FILE + ".tmp"
        with open(tmp, "w") as f:
            json.dump(PARAMS["sets"], f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(tmp, PARAMS_FILE)


if __name__ == "__main__":
    main()
