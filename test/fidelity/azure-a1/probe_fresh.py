"""The fresh Azure probe (docs/fidelity.md "Azure's scoring script", "The fresh Azure probe"): requests a data
scientist sends to an Azure ML no-code MLflow endpoint, over echo models (one per input-example variant) and the
repository's scikit-learn fidelity models, answered by Azure's real scoring script (A1) behind
azureml-inference-server's real request parser (A4) and its `/score` route's answers (A4 `routes.py`,
`aml_response.py`, emulated below: that module needs the whole server package). Not run in CI (it needs the
sources, kept outside the repository); its recordings are: test/fixtures/fidelity/azure-fresh/.

  export A1_DIR=/work/ref/azure-src PYTHONPATH=<InferenceSchema>:<dir with azinf/>:<MLflow 2.12.2 tree>
  /usr/bin/python3 -W ignore probe_fresh.py models OUT        # echo folders (MLflow's writer) + sklearn folders
  /usr/bin/python3 -W ignore probe_fresh.py record OUT REC    # every request, one A1 process per model
  /usr/bin/python3 -W ignore probe_fresh.py heldout OUT REC   # a second, seeded random batch (REC/heldout)
  (probe_fresh.py serve MODEL CASES.json is the per-model child.)

Each recording line: the request (content type, body or body_b64), the route's answer (status, content type,
body text, x-ms-run-function-failed) and what the scoring script raised (`log`: "Type: message"), or, for echo
models, what the model was handed (the answer body itself).
"""
import base64, importlib.util, inspect, json, logging, os, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
GENERIC = "An unexpected error occurred in scoring script. Check the logs for more info."
INTERNAL = "An unexpected internal error occurred. Check the logs for more info."

# ---------------------------------------------------------------- models
ECHO_COLS = [("a", "double"), ("b", "string"), ("c", "long"), ("d", "boolean")]


def write_models(out):
    import numpy as np
    import pandas as pd
    import mlflow.pyfunc
    from mlflow.models import Model, ModelSignature
    from mlflow.types.schema import ColSpec, Schema, TensorSpec
    try:  # MLflow 2.6.0+; an older MLflow (2.3.1, 2.4.2) writes no params model
        from mlflow.types.schema import ParamSchema, ParamSpec
    except ImportError:
        ParamSchema = None

    class Echo(mlflow.pyfunc.PythonModel):
        def predict(self, context, model_input, params=None):
            import numpy as np, pandas as pd

            def desc(x):
                if isinstance(x, pd.DataFrame):
                    return {"kind": "DataFrame", "columns": [str(c) for c in x.columns], "dtypes": {str(k): str(v) for k, v in x.dtypes.items()}, "rows": len(x)}
                if isinstance(x, np.ndarray):
                    return {"kind": "ndarray", "dtype": str(x.dtype), "shape": list(x.shape)}
                if isinstance(x, dict):
                    return {"kind": "dict", "items": {str(k): desc(v) for k, v in x.items()}}
                return {"kind": type(x).__name__}
            out = desc(model_input)
            out["params"] = None if params is None else {k: repr(v) for k, v in params.items()}
            return out

    os.makedirs(out, exist_ok=True)
    cols = Schema([ColSpec(t, n) for n, t in ECHO_COLS])
    params = ParamSchema and ParamSchema([ParamSpec("k", "long", 1), ParamSpec("t", "double", 0.5), ParamSpec("s", "string", "x"),
                                          ParamSpec("flag", "boolean", False), ParamSpec("ids", "long", [1, 2], (-1,))])
    frame = pd.DataFrame({"a": [1.5, 2.0], "b": ["x", "y"], "c": [1, 2], "d": [True, False]})

    def save(name, sig, ex=None):
        p = os.path.join(out, name)
        shutil.rmtree(p, ignore_errors=True)
        kw = dict(input_example=ex) if ex is not None else {}
        mlflow.pyfunc.save_model(p, python_model=Echo(), signature=sig, **kw)
        return p

    save("echo-cols", ModelSignature(inputs=cols))
    save("echo-cols-split-example", ModelSignature(inputs=cols), frame)
    # a records example: the same frame written by hand as records (MLflow 2.12 writes split); A1 reads it with orient "values"
    p = save("echo-cols-records-example", ModelSignature(inputs=cols), frame)
    with open(os.path.join(p, "input_example.json"), "w") as f:
        json.dump(frame.to_dict(orient="records"), f)
    m = Model.load(p); m.saved_input_example_info["pandas_orient"] = "records"; m.save(os.path.join(p, "MLmodel"))
    save("echo-cols-int-example", ModelSignature(inputs=cols), pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": [1, 2], "d": [True, False]}))
    if ParamSchema is not None:
        save("echo-cols-params", ModelSignature(inputs=cols, params=params))
    save("echo-tensor", ModelSignature(inputs=Schema([TensorSpec(np.dtype("float64"), (-1, 3))])))
    save("echo-tensor-example", ModelSignature(inputs=Schema([TensorSpec(np.dtype("float64"), (-1, 3))])), np.array([[1.0, 2.0, 3.0]]))
    save("echo-tensor-int-example", ModelSignature(inputs=Schema([TensorSpec(np.dtype("float64"), (-1, 3))])), np.array([[1, 2, 3]]))
    save("echo-named-tensors", ModelSignature(inputs=Schema([TensorSpec(np.dtype("float64"), (-1,), "x"), TensorSpec(np.dtype("int64"), (-1,), "y")])),
         {"x": np.array([1.0, 2.0]), "y": np.array([1, 2])})
    save("echo-nosig", None)
    # A1 tells transformers / langchain / openai models apart only by the flavor's name in MLmodel
    def variant(src, dst, change):
        p = os.path.join(out, dst)
        shutil.rmtree(p, ignore_errors=True)
        shutil.copytree(os.path.join(out, src), p)
        m = Model.load(p); change(m); m.save(os.path.join(p, "MLmodel"))
    variant("echo-cols", "echo-cols-langchain", lambda m: m.flavors.__setitem__("langchain", {}))
    variant("echo-cols", "echo-cols-transformers", lambda m: m.flavors.__setitem__("transformers", {}))
    variant("echo-cols", "echo-string-transformers", lambda m: (setattr(m, "signature", ModelSignature(inputs=Schema([ColSpec("string")]))), m.flavors.__setitem__("transformers", {})))
    subprocess.run([sys.executable, os.path.join(HERE, "..", "make-fidelity-models.py"), os.path.join(out, "sk")], check=True, stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------- requests
def J(x):
    return json.dumps(x)


def frame_cases(cols):
    """input_data shapes for a column signature: cols = [(name, type, good value, other value)]."""
    names = [c[0] for c in cols]
    row = [c[2] for c in cols]
    row2 = [c[3] for c in cols]
    out = {
        "split-index": {"columns": names, "index": [0, 1], "data": [row, row2]},
        "split-noindex": {"columns": names, "data": [row, row2]},
        "split-reordered": {"columns": names[::-1], "data": [row[::-1]]},
        "split-missing": {"columns": names[:-1], "data": [row[:-1]]},
        "split-extra": {"columns": names + ["zz"], "data": [row + [7]]},
        "split-index-strings": {"columns": names, "index": ["r1"], "data": [row]},
        "split-nocolumns": {"data": [row]},
        "split-extra-key": {"columns": names, "data": [row], "dtype": "x"},
        "split-empty": {"columns": names, "index": [], "data": []},
        "split-empty-noindex": {"columns": names, "data": []},
        "split-records-in-data": {"columns": names, "data": [dict(zip(names, row))]},
        "split-short-row": {"columns": names, "data": [row[:-1]]},
        "split-data-null": {"columns": names, "data": None},
        "split-columns-only": {"columns": names},
        "split-index-only": {"index": [0]},
        "split-columns-index-nodata": {"columns": names, "index": [0]},
        "split-columns-emptyindex-nodata": {"columns": names, "index": []},
        "split-all-null-row": {"columns": names, "index": [0], "data": [[None] * len(names)]},
        "split-null-then-value": {"columns": names, "index": [0, 1], "data": [[None] * len(names), row]},
        "list-of-lists": [row, row2],
        "list-of-one-list": [row],
        "list-of-records": [dict(zip(names, row)), dict(zip(names, row2))],
        "records-one": dict(zip(names, row)),
        "named-lists": {n: [v] for n, v in zip(names, row)},
        "named-scalars": dict(zip(names, row)),
        "bare-list": [1, 2, 3],
        "bare-nested-list": [[1.0, 2.0, 3.0]],
        "bare-scalar": 5,
        "bare-float": 1.5,
        "bare-string": "hello",
        "json-string": J({"columns": names, "index": [0], "data": [row]}),
        "bare-null": None,
        "bare-true": True,
        "empty-list": [],
        "empty-dict": {},
        "nested-input_data": {"input_data": {"columns": names, "index": [0], "data": [row]}},
    }
    # one value at a time in the first row, by column
    for i, (n, t, _, _) in enumerate(cols):
        for tag, v in VALUES.items():
            if (t, tag) in SKIP:
                continue
            r = list(row)
            r[i] = v
            out[f"value-{n}-{tag}"] = {"columns": names, "index": [0], "data": [r]}
            out[f"value-noindex-{n}-{tag}"] = {"columns": names, "data": [r]}
    return out


VALUES = {
    "int1": 1, "float1": 1.0, "float15": 1.5, "neg0": -0.0, "str-num": "1.5", "str-int": "2", "str-true": "true",
    "str-True": "True", "str-nan": "NaN", "true": True, "false": False, "null": None, "huge": 12345678901234567890,
    "big63": 9223372036854775807, "unicode": "héllo ✓", "empty-str": "", "list": [1, 2], "dict": {"k": 1},
}
SKIP = set()
NAN_TOKENS = ["NaN", "Infinity", "-Infinity"]


def envelope_cases(good):
    """Top-level mistakes and params, around a good input_data."""
    return {
        "ok": {"input_data": good},
        "top-inputs": {"inputs": good},
        "top-dataframe_split": {"dataframe_split": good},
        "top-instances": {"instances": [good]},
        "top-dataframe_records": {"dataframe_records": [{"a": 1}]},
        "top-inputs-and-input_data": {"input_data": good, "inputs": good},
        "extra-top-key": {"input_data": good, "foo": 1},
        "params-null": {"input_data": good, "params": None},
        "params-empty": {"input_data": good, "params": {}},
        "params-k-int": {"input_data": good, "params": {"k": 2}},
        "params-k-str": {"input_data": good, "params": {"k": "2"}},
        "params-k-float": {"input_data": good, "params": {"k": 2.5}},
        "params-k-float-int": {"input_data": good, "params": {"k": 2.0}},
        "params-k-bool": {"input_data": good, "params": {"k": True}},
        "params-k-list": {"input_data": good, "params": {"k": [1]}},
        "params-k-null": {"input_data": good, "params": {"k": None}},
        "params-t-int": {"input_data": good, "params": {"t": 1}},
        "params-t-str": {"input_data": good, "params": {"t": "0.7"}},
        "params-s-int": {"input_data": good, "params": {"s": 1}},
        "params-flag-str": {"input_data": good, "params": {"flag": "true"}},
        "params-flag-int": {"input_data": good, "params": {"flag": 1}},
        "params-ids-list": {"input_data": good, "params": {"ids": [3, 4]}},
        "params-ids-scalar": {"input_data": good, "params": {"ids": 3}},
        "params-ids-strs": {"input_data": good, "params": {"ids": ["3"]}},
        "params-ids-nested": {"input_data": good, "params": {"ids": [[3]]}},
        "params-unknown": {"input_data": good, "params": {"zzz": 1}},
        "params-list": {"input_data": good, "params": [1]},
        "params-string": {"input_data": good, "params": "k=2"},
        "params-number": {"input_data": good, "params": 5},
        "params-zero": {"input_data": good, "params": 0},
        "params-false": {"input_data": good, "params": False},
        "params-empty-string": {"input_data": good, "params": ""},
        "params-empty-list": {"input_data": good, "params": []},
        "params-true": {"input_data": good, "params": True},
        "params-reg": {"input_data": good, "params": {"k": 3, "temperature": 0.1, "mode": "slow", "verbose": True, "ids": [5]}},
        "params-reg-bad": {"input_data": good, "params": {"temperature": "hot"}},
    }


def raw_cases(good):
    """Bodies that are not plain JSON objects, and content types."""
    text = J({"input_data": good})
    b = text.encode()
    return [
        ("raw-not-json", "application/json", b"hello"),
        ("raw-empty", "application/json", b""),
        ("raw-spaces", "application/json", b"   "),
        ("raw-newline", "application/json", b"\n"),
        ("raw-list", "application/json", b"[1, 2]"),
        ("raw-null", "application/json", b"null"),
        ("raw-number", "application/json", b"5"),
        ("raw-string", "application/json", b'"x"'),
        ("raw-truncated", "application/json", b[:-1]),
        ("raw-trailing", "application/json", b + b" x"),
        ("raw-bom", "application/json", b"\xef\xbb\xbf" + b),
        ("raw-utf16", "application/json", text.encode("utf-16")),
        ("raw-utf16le", "application/json", text.encode("utf-16-le")),
        ("raw-latin1", "application/json", json.dumps({"input_data": good, "n": "é"}, ensure_ascii=False).encode("latin-1")),
        ("raw-utf8-raw", "application/json", json.dumps({"input_data": good, "n": "é ✓"}, ensure_ascii=False).encode()),
        ("raw-bom-only", "application/json", b"\xef\xbb\xbf"),
        ("raw-bom-spaces", "application/json", b"\xef\xbb\xbf  "),
        ("raw-nan-token", "application/json", b'{"input_data": NaN}'),
        ("raw-deep", "application/json", b'{"input_data": ' + b"[" * 3000 + b"]" * 3000 + b"}"),
        ("raw-5000-digits", "application/json", b'{"input_data": [' + b"7" * 5000 + b"]}"),
        ("raw-utf32", "application/json", text.encode("utf-32")),
        ("raw-utf16be", "application/json", b"\xfe\xff" + text.encode("utf-16-be")),
        ("raw-bom-latin1", "application/json", b"\xef\xbb\xbf" + json.dumps({"input_data": good, "n": "é"}, ensure_ascii=False).encode("latin-1")),
        ("raw-truncated-utf8", "application/json", b + b"\xe2\x9c"),
        ("raw-bad-start-byte", "application/json", b"\xff" + b),
        ("raw-utf16-odd", "application/json", text.encode("utf-16-le") + b"x"),
        ("raw-dup-key", "application/json", b'{"input_data": 1, "input_data": ' + J(good).encode() + b"}"),
        ("raw-single-quotes", "application/json", b"{'input_data': 1}"),
        ("ct-charset", "application/json; charset=utf-8", b),
        ("ct-latin1-charset", "application/json; charset=latin-1", b),
        ("ct-upper", "APPLICATION/JSON", b),
        ("ct-plus-json", "application/vnd.api+json", b),
        ("ct-text-json", "text/json", b),
        ("ct-csv", "text/csv", b"a,b\n1,x\n"),
        ("ct-text", "text/plain", b),
        ("ct-form", "application/x-www-form-urlencoded", b),
        ("ct-none", None, b),
        ("ct-octet", "application/octet-stream", b),
    ]


def value_token_cases(cols):
    """NaN / Infinity tokens in a cell (json.loads reads them; json.dumps cannot write them from Python)."""
    names = [c[0] for c in cols]
    row = [c[2] for c in cols]
    out = []
    for i, (n, _, _, _) in enumerate(cols):
        for tok in NAN_TOKENS:
            cells = [J(v) for v in row]
            cells[i] = tok
            out.append((f"token-{n}-{tok}", "application/json", ('{"input_data": {"columns": %s, "index": [0], "data": [[%s]]}}' % (J(names), ", ".join(cells))).encode()))
    return out


ECHO = [("a", "double", 1.5, 2.0), ("b", "string", "x", "y"), ("c", "long", 1, 2), ("d", "boolean", True, False)]
REG = [("age", "double", 0.03, -0.01), ("bmi", "double", 0.06, 0.02), ("bp", "double", 0.02, -0.03)]
MIXED = [("n_long", "long", 3, 4), ("n_int", "integer", 2, 5), ("city", "string", "paris", "tokyo"), ("score", "float", 0.5, 1.5), ("flag", "boolean", True, False), ("amount", "double", 10.0, 2.5)]


def tensor_cases(width):
    row = [float(i) + 0.5 for i in range(width)]
    return {
        "t-list": [row, row],
        "t-one-row": [row],
        "t-flat": row,
        "t-ints": [[int(x) for x in row]],
        "t-strings": [[str(x) for x in row]],
        "t-str-num": [[str(row[0])] + row[1:]],
        "t-null": [[None] + row[1:]],
        "t-bool": [[True] + row[1:]],
        "t-short": [row[:-1]],
        "t-long": [row + [9.0]],
        "t-ragged": [row, row[:-1]],
        "t-3d": [[row]],
        "t-empty": [],
        "t-empty-row": [[]],
        "t-split": {"columns": list(range(width)), "index": [0], "data": [row]},
        "t-split-noindex": {"columns": list(range(width)), "data": [row]},
        "t-named": {"x": row, "y": [1, 2]},
        "t-named-one": {"x": row},
        "t-records": [{"x": 1.0}],
        "t-scalar": 1.5,
        "t-string": "hello",
        "t-json-string": J([row]),
        "t-null-all": None,
        "t-dict-empty": {},
        "t-huge": [[12345678901234567890] + row[1:]],
        "t-inputs-inside": {"inputs": [row]},
    }


def named_tensor_cases():
    return {
        "nt-ok": {"x": [1.0, 2.0], "y": [1, 2]},
        "nt-ints-for-x": {"x": [1, 2], "y": [1, 2]},
        "nt-floats-for-y": {"x": [1.0], "y": [1.5]},
        "nt-float1-for-y": {"x": [1.0], "y": [1.0]},
        "nt-str-y": {"x": [1.0], "y": ["1"]},
        "nt-missing-y": {"x": [1.0]},
        "nt-extra": {"x": [1.0], "y": [1], "z": [2]},
        "nt-scalar": {"x": 1.0, "y": 1},
        "nt-nested": {"x": [[1.0]], "y": [[1]]},
        "nt-null": {"x": [None], "y": [1]},
        "nt-list": [[1.0, 2.0]],
        "nt-split": {"columns": ["x", "y"], "index": [0], "data": [[1.0, 1]]},
        "nt-split-noindex": {"columns": ["x", "y"], "data": [[1.0, 1]]},
        "nt-records": [{"x": 1.0, "y": 1}],
        "nt-string": "hi",
        "nt-null-all": None,
        "nt-empty": {},
        "nt-empty-lists": {"x": [], "y": []},
        "nt-huge": {"x": [1.0], "y": [12345678901234567890]},
        "nt-bool-y": {"x": [1.0], "y": [True]},
    }


def model_requests(model):
    """(id, class, content type, body bytes) for one model."""
    reqs = []

    def add_input(cls, cases):
        for k, v in cases.items():
            reqs.append((f"{cls}/{k}", cls, "application/json", J({"input_data": v}).encode()))

    if model.startswith("echo-cols") or model in ("sk/mixed", "sk/regression", "sk/params", "sk/mixed-proba", "echo-nosig", "sk/nosig"):
        cols = {"sk/mixed": MIXED, "sk/mixed-proba": MIXED}.get(model, REG if model.startswith("sk/") else ECHO)
        fc = frame_cases(cols)
        if model in ("sk/mixed-proba",):
            fc = {k: v for k, v in fc.items() if not k.startswith("value-")}
        add_input("input", fc)
        good = fc["split-index"]
        if model in ("echo-cols", "echo-cols-params", "sk/params", "sk/mixed", "echo-nosig"):
            for k, v in envelope_cases(good).items():
                reqs.append((f"envelope/{k}", "envelope", "application/json", J(v).encode()))
        if model in ("echo-cols", "sk/mixed", "sk/regression"):
            for k, ct, b in raw_cases(good) + value_token_cases(cols):
                reqs.append((f"raw/{k}", "raw", ct, b))
    if "tensor" in model and "named" not in model:
        add_input("tensor", tensor_cases(4 if model == "sk/tensor" else 3))
        if model == "sk/tensor":
            for k, ct, b in raw_cases([[5.1, 3.5, 1.4, 0.2]]):
                reqs.append((f"raw/{k}", "raw", ct, b))
    if model == "echo-named-tensors":
        add_input("named", named_tensor_cases())
    if model in ("echo-nosig", "sk/nosig"):
        add_input("tensor", tensor_cases(3))
    if model in ("echo-string-transformers", "echo-cols-transformers", "echo-cols-langchain"):
        add_input("llm", {
            "text": "I believe", "text-json-looking": "[1, 2]", "strings": ["a", "b"], "one-string": ["a"], "mixed-list": ["a", 1],
            "dict-strings": {"q": "a"}, "dict-string-lists": {"q": ["a", "b"]}, "dict-mixed": {"q": "a", "n": 1},
            "records-strings": [{"q": "a"}, {"q": "b"}], "records-mixed": [{"q": "a"}, {"q": 1}],
            "hfv2": {"input_string": ["hi"], "parameters": {"top_p": 0.5}}, "hfv2-text": {"input_string": "hi", "parameters": {}},
            "params-inside": {"parameters": {"k": 1}, "a": [1.5], "b": ["x"], "c": [1], "d": [True]},
            "nested-input_data": {"input_data": ["a"]}, "number": 5, "null": None, "empty-list": [], "empty-dict": {},
            "split": {"columns": ["a", "b", "c", "d"], "index": [0], "data": [[1.5, "x", 1, True]]},
            "nested-list": [["a", "b"]], "parameters-in-text": "parameters here",
        })
    return reqs


def heldout_requests(model, rnd):
    """A second, random batch (seeded), generated after the rules above were fixed: mutations combined at random."""
    import copy
    if model.startswith("sk/tensor") or model in ("echo-tensor", "echo-tensor-example", "echo-tensor-int-example"):
        width = 4 if model == "sk/tensor" else 3
        pool = [1.5, 2, -0.0, None, "3.5", True, 1e308, 12345678901234567890, "x", [1.0], {"k": 1}]
        def make():
            rows = [[rnd.choice(pool) if rnd.random() < 0.25 else float(rnd.randint(0, 9)) + 0.5 for _ in range(width + rnd.choice([0, 0, 0, -1, 1]))] for _ in range(rnd.randint(0, 3))]
            form = rnd.choice(["list", "list", "named", "split", "flat", "scalar"])
            return rows if form == "list" else {"x": rows} if form == "named" else {"columns": list(range(width)), "index": list(range(len(rows))), "data": rows} if form == "split" else (rows[0] if rows else []) if form == "flat" else rnd.choice(pool)
    elif model == "echo-named-tensors":
        pool = [1.5, 2, None, "1", True, [1.0], 12345678901234567890]
        def make():
            d = {}
            for k in rnd.sample(["x", "y", "z"], rnd.randint(0, 3)):
                d[k] = [rnd.choice(pool) for _ in range(rnd.randint(0, 3))] if rnd.random() < 0.85 else rnd.choice(pool)
            return d if rnd.random() < 0.9 else list(d.values())
    else:
        cols = {"sk/mixed": MIXED, "sk/mixed-proba": MIXED}.get(model, REG if model.startswith("sk/") else ECHO)
        names = [c[0] for c in cols]
        pool = list(VALUES.values()) + [-1.5, 0, 2.5, "paris", "tokyo", False]
        def make():
            nrows = rnd.choice([0, 1, 1, 2, 3])
            rows = [[rnd.choice(pool) if rnd.random() < 0.3 else rnd.choice([c[2], c[3]]) for c in cols] for _ in range(nrows)]
            use = list(names)
            if rnd.random() < 0.2:
                use = rnd.sample(names, len(names))
            if rnd.random() < 0.1:
                k = rnd.randrange(len(use)); del use[k]; rows = [r[:k] + r[k + 1:] for r in rows]
            if rnd.random() < 0.1:
                use = use + ["extra"]; rows = [r + [rnd.choice(pool)] for r in rows]
            form = rnd.choice(["split", "split", "split-noindex", "records", "lists", "named"])
            if form == "split":
                return {"columns": use, "index": list(range(nrows)), "data": rows}
            if form == "split-noindex":
                return {"columns": use, "data": rows}
            if form == "records":
                return [dict(zip(use, r)) for r in rows]
            if form == "lists":
                return rows
            return {n: [r[i] for r in rows] for i, n in enumerate(use)}
    params_pool = [None, {}, {"k": 3}, {"k": "3"}, {"t": 1}, {"s": 2}, {"flag": "yes"}, {"ids": [7]}, {"ids": 7}, [1], "p", 0, {"temperature": 0.2, "mode": 5}]
    out = []
    for i in range(28):
        body = {"input_data": make()}
        if rnd.random() < 0.3:
            body["params"] = copy.deepcopy(rnd.choice(params_pool))
        if rnd.random() < 0.05:
            body = {rnd.choice(["inputs", "instances", "dataframe_split"]): body["input_data"]}
        raw = json.dumps(body, ensure_ascii=rnd.random() < 0.5).encode()
        r = rnd.random()
        if r < 0.04:
            raw = b"\xef\xbb\xbf" + raw
        elif r < 0.07:
            raw = json.dumps(body).encode("utf-16")
        elif r < 0.1:
            raw = b"  " + raw + b"\n"
        ct = "application/json" if rnd.random() < 0.95 else rnd.choice(["text/plain", "application/json; charset=utf-8", None])
        out.append((f"heldout/{i}", "heldout", ct, raw))
    return out


def get_cases(model):
    """GET /score?…: A4 parses each query value with json.loads (else keeps the string), a repeated key as a list."""
    from urllib.parse import quote
    if model == "sk/tensor":
        good = [[5.1, 3.5, 1.4, 0.2]]
    else:
        cols = REG if model.startswith("sk/") else ECHO
        good = {"columns": [c[0] for c in cols], "index": [0], "data": [[c[2] for c in cols]]}
    g = quote(json.dumps(good))
    return [
        ("none", "/score"), ("empty", "/score?"), ("good", f"/score?input_data={g}"), ("plus-spaces", "/score?input_data=" + json.dumps(good).replace(" ", "+")),
        ("with-params", f"/score?input_data={g}&params=" + quote('{"k": 2}')), ("params-bad", f"/score?input_data={g}&params=[1]"),
        ("string", "/score?input_data=hello"), ("number", "/score?input_data=5"), ("empty-value", "/score?input_data="), ("no-equals", "/score?input_data"),
        ("repeated", f"/score?input_data={g}&input_data={g}"), ("other-key", "/score?inputs=" + g), ("extra-key", f"/score?input_data={g}&x=1"),
        ("nan", "/score?input_data=NaN"), ("deep", "/score?input_data=" + "[" * 3000 + "]" * 3000), ("latin1-escape", "/score?input_data=%E9"),
        ("semicolon", f"/score?input_data={g};x=1"), ("list", "/score?input_data=[1,2]"), ("null", "/score?input_data=null"),
    ]


# ---------------------------------------------------------------- the real answers
def serve(model_dir, cases_file):
    """One model: import A1 (as azmlinfsrv's user_script does), then each request through A4's parser and route."""
    sys.path.insert(0, HERE)
    import a1_stub  # noqa: F401 - the Collector stand-in (run_a1.py's too)
    import flask
    from azinf.input_parsers import ObjectInput, BadInput, UnsupportedInput
    logging.basicConfig(level=logging.CRITICAL)
    model_dir = os.path.abspath(model_dir)
    os.environ["AZUREML_MODEL_DIR"] = os.path.dirname(model_dir)
    os.environ["MLFLOW_MODEL_FOLDER"] = os.path.basename(model_dir)
    cases = json.load(open(cases_file))
    spec = importlib.util.spec_from_file_location("mlflow_score_script", os.path.join(os.environ["A1_DIR"], "mlflow_score_script.py"))
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except BaseException as e:
        for c in cases:
            print(json.dumps({**c, "answer": {"status": 0, "import_failure": f"{type(e).__name__}: {e}"}}))
        return
    mod.init()
    app = flask.Flask("a4")
    parser = ObjectInput([p for p in inspect.signature(mod.run).parameters.values() if p.name != "request_headers"])

    def response(status, obj, failed, log=None):
        # AMLResponse(json_str=True): json.dumps(message), mimetype application/json; header x-ms-run-function-failed
        return {"status": status, "content_type": "application/json", "body": json.dumps(obj), "run_function_failed": failed, "log": log}

    for c in cases:
        body = base64.b64decode(c["body_b64"])
        kw = {"content_type": c["content_type"]} if c["content_type"] is not None else {}
        method = c.get("method", "POST")
        # GET /score: A4 reads the query string (`_parse_get_input`), not the body
        with app.test_request_context(c.get("path", "/score"), method=method, **({"data": body, **kw} if method == "POST" else {})):
            try:
                try:
                    run_parameters = parser(flask.request)
                except BadInput as ex:  # routes.handle_score
                    ans = response(400, {"message": ex.args[0]}, False)
                    raise StopIteration
                except UnsupportedInput as ex:
                    ans = response(415, {"message": ex.args[0]}, False)
                    raise StopIteration
                try:
                    out = mod.run(**run_parameters)
                except Exception as e:  # UserScriptException
                    ans = response(500, {"message": GENERIC}, True, f"{type(e).__name__}: {str(e)[:2000]}")
                    raise StopIteration
                ans = response(200, out, False)  # AMLResponse(json.dumps(out)): may raise, caught below
            except StopIteration:
                pass
            except Exception as e:  # all_unhandled_exception
                ans = response(500, {"message": INTERNAL}, False, f"{type(e).__name__}: {str(e)[:2000]}")
        print(json.dumps({**c, "answer": ans}))
        sys.stdout.flush()


def record(out, rec, heldout=False):
    import random
    os.makedirs(rec, exist_ok=True)
    models = sorted(d for d in os.listdir(out) if d.startswith("echo-")) + ["sk/" + d for d in sorted(os.listdir(os.path.join(out, "sk")))]
    for model in models:
        reqs = heldout_requests(model, random.Random(f"heldout-{model}")) if heldout else model_requests(model)
        if not reqs:
            continue
        cases = [{"id": f"{model}:{i}", "cls": cls, "content_type": ct, "body_b64": base64.b64encode(b).decode()} for (i, cls, ct, b) in reqs]
        if not heldout and model in ("echo-cols", "echo-cols-params", "sk/regression", "sk/tensor", "echo-nosig"):
            cases += [{"id": f"{model}:get/{k}", "cls": "get", "method": "GET", "path": q, "content_type": None, "body_b64": ""} for k, q in get_cases(model)]
        tmp = os.path.join(rec, ".cases.json")
        json.dump(cases, open(tmp, "w"))
        p = subprocess.run([sys.executable, "-W", "ignore", os.path.abspath(__file__), "serve", os.path.join(out, model), tmp], capture_output=True, text=True)
        lines = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        if len(lines) != len(cases):
            sys.exit(f"{model}: {len(lines)} answers for {len(cases)} cases\n{p.stderr[-3000:]}")
        with open(os.path.join(rec, model.replace("/", "-") + ".jsonl"), "w") as f:
            for l in lines:
                # keep bodies readable when they are UTF-8 text
                b = base64.b64decode(l["body_b64"])
                try:
                    text = b.decode("utf-8")
                    if text.encode("utf-8") == b and not text.startswith("\ufeff"):
                        del l["body_b64"]
                        l["body"] = text
                except UnicodeDecodeError:
                    pass
                f.write(json.dumps(l, ensure_ascii=False) + "\n")
        os.remove(tmp)
        print(model, len(lines))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "models":
        write_models(sys.argv[2])
    elif cmd == "record":
        record(sys.argv[2], sys.argv[3])
    elif cmd == "heldout":
        record(sys.argv[2], sys.argv[3], heldout=True)
    elif cmd == "serve":
        serve(sys.argv[2], sys.argv[3])
