"""Preflight's Python worker: loads one MLflow model and runs predictions for the desktop app.

Protocol (length-prefixed frames, protocol 2): every message on stdin (requests) and stdout (responses) is

    b"PFW2" | u32 big-endian header length H | u32 big-endian blob length B | H bytes of UTF-8 JSON | B bytes

stderr is a free-form log (model warnings, tracebacks). stdout belongs to the protocol alone: file
descriptor 1 is pointed at stderr at start-up, so a model that prints (from Python or from C) cannot corrupt it.
The blob carries what JSON would only slow down: float64 input columns as raw little-endian doubles (a
request's `{"$f64": <byte offset>}` values, see `decode_input`); in a response, the answer bodies the worker
wrote, as UTF-8 text (`{"$text": <index>}` values; header field `texts` lists their byte lengths), then a
float64 ndarray prediction as raw little-endian doubles (the result's `"f64": {"$f64": <byte offset>}`).

Requests:   {"id": <int>, "op": "ping" | "load" | "predict" | "shutdown", ...}
Responses:  {"id": <int>, "ok": true, "result": {...}, "texts": [<byte length>, ...]}
            {"id": <int>, "ok": false, "error": {"stage", "type", "message", "traceback", ...}}

* load     {"model_dir": "<abs path>", "flavors": <MLmodel flavors, optional>}: with mlflow importable, mlflow.pyfunc.load_model; without it,
           sklearn-flavor models straight from their pickle (MLmodel flavors.sklearn), as MLflow's own
           sklearn loader would, and the result says so.
* predict  {"input": <wire input>, "params": <wire value> | null, "servers"?, "model_dir"?, "flavors"?}: loads the
           model first when this process has not (yet) loaded that folder, then rebuilds the exact pandas/numpy object
           (see `decode_input`), calls predict, and returns the answer already serialized as each server
           writes it (MLflow `predictions_to_json` + NumpyEncoder; Azure ML `_get_jsonable_obj` + plain
           json.dumps), because only Python formats Python objects exactly like Python. `servers` (a list of
           "mlflow" / "azureml", default both) names the bodies wanted: only those are serialized. One
           exception: a plain float64 ndarray (regressors, predict_proba) — both bodies are then
           json.dumps of its tolist(), so a body is `{"ok": true, "f64_tolist": true}` and the app writes the
           text from the result's doubles (`_f64_doubles`).
* ping, shutdown.

The worker only loads the model folder the user opened (unpickling runs the model's code, which is the
user's own) and never opens a network connection itself.
"""

import base64
import datetime
import io
import json
import os
import sys
import time
import traceback

PROTOCOL_VERSION = 2
FRAME_MAGIC = b"PFW2"

# ---- stdout belongs to the protocol ------------------------------------------------------------------

_proto_out = os.fdopen(os.dup(1), "wb", buffering=0)
_proto_in = sys.stdin.buffer
os.dup2(2, 1)
sys.stdout = sys.stderr


def _widen_pipes():
    # Linux pipes hold 64 KiB: a 1 000-row request (80 KB of doubles) would cross in two writes, each a
    # process wake-up on both sides. 1 MiB (the unprivileged maximum) takes it, and most answers, at once.
    # Node (libuv) gives its children Unix socket pairs, not pipes: there this fails (EBADF) and the socket
    # buffers (~208 KiB by default) already take such a request in one write (measured: 82 KB and a 1-byte
    # answer cross in ~50 µs). It still matters when the worker runs under real pipes.
    try:
        import fcntl

        for fd in (_proto_in.fileno(), _proto_out.fileno()):
            fcntl.fcntl(fd, 1031, 1 << 20)  # F_SETPIPE_SZ
    except Exception:  # noqa: BLE001 - not Linux, or not a pipe: the default size works, only slower
        pass


_widen_pipes()


def _send(message, blobs=()):
    """`blobs`: the frame's blob, in parts (see `_detach_blob`)."""
    # allow_nan=False: the header must stay strict JSON for the Node side; non-finite values travel tagged.
    header = json.dumps(message, allow_nan=False).encode("utf-8")
    blob = b"".join(blobs)
    # One write per frame: the parent reads whole frames, and a pipe write is the expensive part.
    frame = memoryview(b"".join((FRAME_MAGIC, len(header).to_bytes(4, "big"), len(blob).to_bytes(4, "big"), header, blob)))
    while frame:
        frame = frame[_proto_out.write(frame):]


def _read_exact(n, into=None):
    buf = into if into is not None else bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = _proto_in.readinto(view[got:])
        if not k:
            return None
        got += k
    return buf


def _receive():
    """The next request frame as (header dict, blob bytearray), or None at the end of stdin."""
    prefix = _read_exact(12)
    if prefix is None:
        return None
    if bytes(prefix[:4]) != FRAME_MAGIC:
        raise SystemExit("[preflight-worker] the parent wrote something that is not a protocol-2 frame; exiting.")
    header = _read_exact(int.from_bytes(prefix[4:8], "big"))
    blob = _read_exact(int.from_bytes(prefix[8:12], "big"))
    if header is None or blob is None:
        return None
    # A bytearray: arrays decoded from it are writable (a model may modify its input in place).
    return json.loads(header.decode("utf-8")), blob


def _log(text):
    sys.stderr.write("[preflight-worker] " + text + "\n")
    sys.stderr.flush()


class WorkerError(Exception):
    """An error with a message meant for the user (no traceback needed)."""


# ---- model loading -----------------------------------------------------------------------------------

_state = {"model": None, "predict": None, "info": None, "mlflow_serializer": None}


def _read_mlmodel(model_dir):
    path = os.path.join(model_dir, "MLmodel")
    if not os.path.isfile(path):
        raise WorkerError("%s has no MLmodel file; open the folder MLflow saved the model into." % model_dir)
    try:
        import yaml
    except ImportError:
        yaml = None
    with open(path, "r", encoding="utf-8") as f:
        text = f.read()
    if yaml is None:
        raise WorkerError(
            "Reading MLmodel needs PyYAML, which this interpreter lacks. Install it (pip install pyyaml) "
            "or choose an interpreter that has mlflow."
        )
    try:
        data = yaml.safe_load(text)
    except Exception as e:  # noqa: BLE001 - reported to the user as is
        raise WorkerError("%s is not valid YAML: %s" % (path, e))
    if not isinstance(data, dict):
        raise WorkerError("%s does not hold a YAML mapping." % path)
    return data


def _inside(model_dir, rel, what):
    full = os.path.realpath(os.path.join(model_dir, rel))
    root = os.path.realpath(model_dir)
    if full != root and not full.startswith(root + os.sep):
        raise WorkerError("MLmodel %s %r points outside the model folder; refusing to load it." % (what, rel))
    return full


def _mlflow_version():
    try:
        import mlflow  # noqa: F401

        return getattr(mlflow, "__version__", "unknown")
    except ImportError:
        return None


def _load_with_mlflow(model_dir):
    import mlflow.pyfunc

    model = mlflow.pyfunc.load_model(model_dir)
    impl = None
    try:
        impl = model.unwrap_python_model() if hasattr(model, "unwrap_python_model") else None
    except Exception:  # noqa: BLE001 - only non-custom models raise here
        impl = None
    if impl is None:
        impl = getattr(model, "_model_impl", None)
    inner = getattr(impl, "sklearn_model", impl)

    def predict(data, params):
        if params is None:
            return model.predict(data)
        return model.predict(data, params=params)

    try:
        from mlflow.pyfunc.scoring_server import predictions_to_json
    except Exception:  # noqa: BLE001 - fall back to Preflight's copy
        predictions_to_json = None
    pyfunc_conf = (getattr(getattr(model, "metadata", None), "flavors", None) or {}).get("python_function") or {}
    loader = pyfunc_conf.get("loader_module") or ""
    # `mlflow.sklearn` → `sklearn`; custom pyfunc models (`mlflow.pyfunc.model`) are python_function.
    flavor = loader[len("mlflow."):] if loader.startswith("mlflow.") and not loader.startswith("mlflow.pyfunc") else "python_function"
    info = {
        "loader": "mlflow.pyfunc.load_model",
        "mlflow_version": _mlflow_version(),
        "flavor": flavor,
        "model_class": _qualname(type(inner)) if inner is not None else None,
        "predict_fn": pyfunc_conf.get("predict_fn") or "predict",
        "notes": [],
    }
    return predict, info, predictions_to_json


# mlflow.sklearn._SklearnModelWrapper exposes these besides predict; python_function.predict_fn picks one.
_SKLEARN_PREDICT_FNS = ("predict", "predict_proba", "predict_log_proba", "predict_joint_log_proba", "score")


def _load_sklearn_pickle(model_dir, mlmodel):
    flavors = mlmodel.get("flavors") or {}
    sk = flavors.get("sklearn")
    pyfunc = flavors.get("python_function") or {}
    loader = pyfunc.get("loader_module")
    if not isinstance(sk, dict):
        names = ", ".join(sorted(flavors)) if isinstance(flavors, dict) else "none"
        raise WorkerError(
            "mlflow is not installed in this interpreter, and without it Preflight can only load "
            "sklearn-flavor models (this model's flavors: %s; loader_module: %s). Install mlflow into "
            "this interpreter (the version the model pins) or choose one that has it." % (names, loader)
        )
    if loader not in (None, "mlflow.sklearn"):
        raise WorkerError(
            "The model's python_function flavor loads with %r, not mlflow.sklearn; running it needs mlflow. "
            "Install mlflow into this interpreter or choose one that has it." % loader
        )
    fmt = sk.get("serialization_format", "cloudpickle")
    # pyfunc's model_path is what mlflow.sklearn._load_pyfunc opens; the sklearn flavor names the same file.
    rel = pyfunc.get("model_path") or sk.get("pickled_model")
    if not rel:
        raise WorkerError("MLmodel flavors.sklearn has no pickled_model; the folder is incomplete.")
    path = _inside(model_dir, rel, "flavors.sklearn.pickled_model")
    if not os.path.isfile(path):
        raise WorkerError("MLmodel names %r as the pickled model, but %s does not exist." % (rel, path))
    if fmt == "cloudpickle":
        try:
            import cloudpickle as unpickler
        except ImportError:
            raise WorkerError(
                "The model was saved with cloudpickle (flavors.sklearn.serialization_format), which this "
                "interpreter lacks. Install cloudpickle (the version the model pins) or choose another interpreter."
            )
    elif fmt == "pickle":
        import pickle as unpickler
    else:
        raise WorkerError(
            "flavors.sklearn.serialization_format is %r; without mlflow Preflight reads only 'cloudpickle' "
            "and 'pickle'. Install mlflow into this interpreter to load it." % fmt
        )
    with open(path, "rb") as f:
        model = unpickler.load(f)
    predict_fn = pyfunc.get("predict_fn") or "predict"
    if predict_fn not in _SKLEARN_PREDICT_FNS:
        raise WorkerError(
            "python_function.predict_fn is %r; MLflow's sklearn wrapper supports only %s."
            % (predict_fn, ", ".join(_SKLEARN_PREDICT_FNS))
        )
    fn = getattr(model, predict_fn, None)
    if fn is None:
        raise WorkerError(
            "python_function.predict_fn is %r, but the pickled %s has no such method."
            % (predict_fn, _qualname(type(model)))
        )

    def predict(data, params):
        # mlflow.sklearn's wrapper ignores params (and MLflow warns that they are unused).
        return fn(data)

    info = {
        "loader": "pickle-direct",
        "mlflow_version": None,
        "flavor": "sklearn",
        "model_class": _qualname(type(model)),
        "predict_fn": predict_fn,
        "serialization_format": fmt,
        "pickled_model": rel,
        "notes": [
            "mlflow is not installed in this interpreter: loaded %s directly with %s.load and call %s(), "
            "as mlflow.sklearn does. MLflow's signature enforcement does not run here; Preflight enforces "
            "the signature before the call." % (rel, fmt, predict_fn)
        ],
    }
    return predict, info


def _qualname(cls):
    return "%s.%s" % (getattr(cls, "__module__", "?"), getattr(cls, "__qualname__", getattr(cls, "__name__", "?")))


def op_load(req):
    model_dir = req.get("model_dir")
    if not isinstance(model_dir, str) or not os.path.isdir(model_dir):
        raise WorkerError("Model folder %r does not exist." % (model_dir,))
    started = time.perf_counter()
    _state.update(model=None, predict=None, info=None, mlflow_serializer=None)
    if _mlflow_version() is not None:
        predict, info, serializer = _load_with_mlflow(model_dir)
        _state["mlflow_serializer"] = serializer
    else:
        # The app parsed MLmodel already and may send its flavors, so PyYAML is not needed here.
        flavors = req.get("flavors")
        mlmodel = {"flavors": flavors} if isinstance(flavors, dict) else _read_mlmodel(model_dir)
        predict, info = _load_sklearn_pickle(model_dir, mlmodel)
    # pandas is imported on first use otherwise: on a loaded machine that is seconds of the first predict,
    # counted against the predict timeout. The load (with its own, longer limit) pays for it instead.
    try:
        import pandas  # noqa: F401
    except ImportError:
        pass
    info["load_ms"] = (time.perf_counter() - started) * 1000.0
    info["model_dir"] = model_dir
    _state.update(predict=predict, info=info)
    return info


# ---- wire input → the exact pandas / numpy object ----------------------------------------------------
#
# Wire values are JSON; anything JSON cannot say exactly is a tagged object {"$": tag, "v": ...}:
#   float  "NaN" | "Infinity" | "-Infinity" | a number   (a Python float, e.g. 1.0 kept apart from int 1)
#   int    "<digits>"                                     (ints beyond 2^53)
#   bytes  "<base64>"
#   ts     "<ISO datetime, up to ns>"                     (pandas.Timestamp, naive)
#   nat                                                   (pandas.NaT)
#   dict   [[key, value], ...]                            (a Python dict, insertion order kept)
#   tuple  [value, ...]                                   (a MultiIndex column label, e.g. ('age',))
# A plain JSON object never appears untagged.
#
# Outside those values, a float64 column's `values` (and a float64 ndarray's `data`) may be {"$f64": <byte
# offset>} instead of a list: its cells are raw little-endian doubles in the request's blob (nrows, or the
# product of the shape, of them). Exact, and no number is formatted or parsed on either side.


def decode_value(v):
    if isinstance(v, list):
        return [decode_value(x) for x in v]
    if not isinstance(v, dict):
        return v
    tag = v.get("$")
    if tag == "float":
        x = v.get("v")
        return float(x) if not isinstance(x, str) else float(x.replace("Infinity", "inf"))
    if tag == "int":
        return int(v["v"])
    if tag == "bytes":
        return base64.b64decode(v["v"])
    if tag == "ts":
        import pandas as pd

        return pd.Timestamp(v["v"])
    if tag == "nat":
        import pandas as pd

        return pd.NaT
    if tag == "dict":
        return {decode_value(k): decode_value(x) for k, x in v["v"]}
    if tag == "tuple":
        return tuple(decode_value(x) for x in v["v"])
    raise WorkerError("Unknown wire tag %r in the prediction input." % (tag,))


def _array(values, dtype):
    import numpy as np

    if dtype in ("object", "O"):
        # np.array would turn nested lists into extra dimensions; an object array keeps them as cells.
        out = np.empty(len(values), dtype=object)
        for k, x in enumerate(values):
            out[k] = x
        return out
    if dtype.startswith("datetime64"):
        import pandas as pd

        return pd.to_datetime(pd.Series(values, dtype=object)).to_numpy(dtype=dtype)
    return np.array(values, dtype=dtype)


_PLAIN_NUMERIC = frozenset(("float64", "float32", "int64", "int32", "int16", "int8", "uint64", "uint32", "uint16", "uint8", "bool"))
_PLAIN_NUMBER_TYPES = frozenset((int, float, bool))


def _f64(ref, count, blob):
    import numpy as np

    return np.frombuffer(blob, dtype="<f8", count=count, offset=ref["$f64"])


def _f64_block(cols, nrows, blob):
    """Every column float64 and laid out one after another in the blob: the (columns × rows) array itself."""
    if not cols or not nrows or blob is None:
        return None
    first = cols[0]["values"]
    if not isinstance(first, dict) or "$f64" not in first:
        return None
    at = first["$f64"]
    for k, c in enumerate(cols):
        v = c["values"]
        if c["dtype"] != "float64" or not isinstance(v, dict) or v.get("$f64") != at + k * nrows * 8:
            return None
    import numpy as np

    return np.frombuffer(blob, dtype="<f8", count=len(cols) * nrows, offset=at).reshape(len(cols), nrows)


# The column labels of the last frame, as pandas built them from the list (`df.columns = [...]`), kept only
# for labels that are all plain str: a tuple of str cannot be equal to another one and differ (1, 1.0 and
# True are equal keys). A server gets the same columns on every request, and inferring the Index from the
# list was most of a 1 000-row frame's decoding (issue 11: 0.19 of 0.38 ms after an idle wait).
_labels_cache = {"key": None, "index": None}


def _label_key(cols):
    names = tuple(c["name"] for c in cols)
    return names if names and all(type(n) is str for n in names) else None


def _cached_labels(cols):
    """A new Index object for the last frame's labels (the values shared, as DataFrame.copy shares its
    axes: a model that renames its input's columns changes its own object only), or None."""
    key = _label_key(cols)
    if key is None or key != _labels_cache["key"]:
        return None
    index = _labels_cache["index"]
    # The values are shared: a model that wrote into its input's `columns.values` must not rename the next one.
    if tuple(index.tolist()) != key:
        return None
    return index.copy()


def _remember_labels(cols, index):
    key = _label_key(cols)
    if key is not None:
        _labels_cache.update(key=key, index=index.copy())


def decode_input(w, blob=None):
    kind = w.get("kind")
    if kind == "dataframe":
        import pandas as pd

        cols = w["columns"]
        nrows = w.get("nrows", 0)
        block = _f64_block(cols, nrows, blob)
        labels = _cached_labels(cols)
        if block is not None:
            # The one float64 block the per-column build below consolidates into, (columns × rows) C-ordered,
            # without building a Series per column (issue 11: most of the worker's time at 1 row).
            if labels is not None:
                return pd.DataFrame(block.T, columns=labels)
            df = pd.DataFrame(block.T)
            df.columns = [decode_value(c["name"]) for c in cols]
            _remember_labels(cols, df.columns)
            return df
        series = {}
        for k, c in enumerate(cols):
            raw = c["values"]
            if isinstance(raw, dict):
                series[k] = pd.Series(_f64(raw, nrows, blob), dtype="float64")
                continue
            # Plain JSON numbers need no decoding (tags are dicts); one C-level pass over their types saves
            # a Python call per cell on numeric columns (issue 11: the worker's per-request overhead).
            if c["dtype"] in _PLAIN_NUMERIC and set(map(type, raw)) <= _PLAIN_NUMBER_TYPES:
                values = raw
            else:
                values = [decode_value(x) for x in raw]
            series[k] = pd.Series(_array(values, c["dtype"]), dtype=c["dtype"] if c["dtype"] != "O" else object)
        df = pd.DataFrame(series, index=pd.RangeIndex(w.get("nrows", 0)) if not cols else None)
        # Labels set afterwards: duplicates and non-string labels (0..n-1 from a split without columns) survive.
        if labels is not None:
            df.columns = labels
        else:
            df.columns = [decode_value(c["name"]) for c in cols]
            _remember_labels(cols, df.columns)
        return df
    if kind == "ndarray":
        shape = tuple(w["shape"])
        if isinstance(w["data"], dict):
            count = 1
            for n in shape:
                count *= n
            return _f64(w["data"], count, blob).reshape(shape)
        flat = _array([decode_value(x) for x in w["data"]], w["dtype"])
        return flat.reshape(shape)
    if kind == "dict":
        return {k: decode_input(v, blob) for k, v in w["items"]}
    if kind == "value":
        return decode_value(w["value"])
    raise WorkerError("Unknown input kind %r." % (kind,))


# ---- output serialization, exactly as each server does it --------------------------------------------


def _get_jsonable_obj(data, pandas_orient="records"):
    # mlflow.utils.proto_json_utils._get_jsonable_obj; Azure's mlflow_score_script.py imports the same.
    import numpy as np
    import pandas as pd

    if isinstance(data, np.ndarray):
        return data.tolist()
    if isinstance(data, pd.DataFrame):
        return data.to_dict(orient=pandas_orient)
    if isinstance(data, pd.Series):
        return pd.DataFrame(data).to_dict(orient=pandas_orient)
    return data


class NumpyEncoder(json.JSONEncoder):
    """mlflow.utils.proto_json_utils.NumpyEncoder, for interpreters without mlflow."""

    def try_convert(self, o):
        import numpy as np
        import pandas as pd

        def encode_binary(x):
            return base64.encodebytes(x).decode("ascii")

        if isinstance(o, np.ndarray):
            if o.dtype == object:
                return [self.try_convert(x)[0] for x in o.tolist()], True
            elif o.dtype == np.bytes_:
                return np.vectorize(encode_binary)(o), True
            else:
                return o.tolist(), True
        if isinstance(o, np.generic):
            return o.item(), True
        if isinstance(o, (bytes, bytearray)):
            return encode_binary(o), True
        if isinstance(o, np.datetime64):
            return np.datetime_as_string(o), True
        if isinstance(o, (pd.Timestamp, datetime.date, datetime.datetime, datetime.time)):
            return o.isoformat(), True
        try:
            import pydantic

            if isinstance(o, pydantic.BaseModel):
                return (o.model_dump() if hasattr(o, "model_dump") else o.dict()), True
        except ImportError:
            pass
        return o, False

    def default(self, o):
        res, converted = self.try_convert(o)
        if converted:
            return res
        return super().default(o)


def _mlflow_body(result):
    serializer = _state.get("mlflow_serializer")
    out = io.StringIO()
    if serializer is not None:
        serializer(result, out)
        return out.getvalue(), "mlflow"
    # json.dumps, not MLflow's json.dump: the same text (CPython keeps its C and Python encoders in step), but
    # dump streams through the pure-Python encoder, several times slower on 1 000 rows (issue 11).
    out.write(json.dumps({"predictions": _get_jsonable_obj(result, pandas_orient="records")}, cls=NumpyEncoder))
    return out.getvalue(), "preflight-copy"


def _azure_body(result):
    return json.dumps(_get_jsonable_obj(result, pandas_orient="records"))


def _exc(e, stage):
    err = {
        "stage": stage,
        "type": _qualname(type(e)) if type(e).__module__ not in ("builtins", "__main__") else type(e).__name__,
        "message": str(e),
        "traceback": traceback.format_exc(limit=20),
    }
    code = getattr(e, "error_code", None)
    if isinstance(code, str):
        err["mlflow_error_code"] = code
    return err


def _describe(result):
    import numpy as np
    import pandas as pd

    if isinstance(result, np.ndarray):
        return {"python_type": "numpy.ndarray", "dtype": str(result.dtype), "shape": list(result.shape)}
    if isinstance(result, pd.DataFrame):
        return {
            "python_type": "pandas.DataFrame",
            "shape": list(result.shape),
            "columns": [str(c) for c in result.columns],
            "dtypes": [str(d) for d in result.dtypes],
        }
    if isinstance(result, pd.Series):
        return {"python_type": "pandas.Series", "dtype": str(result.dtype), "shape": list(result.shape), "name": None if result.name is None else str(result.name)}
    return {"python_type": _qualname(type(result))}


def _f64_doubles(result):
    """A plain float64 ndarray's elements as raw little-endian doubles (C order), else None.

    Both bodies of such a result are `json.dumps(result.tolist())` (MLflow's inside `{"predictions": …}`):
    Python floats written with repr. The app writes that text from the doubles with its TypeScript copy of
    repr (output/serialize.ts, the one the ONNX engine's answers use), so no float is formatted here and
    the answer crosses the pipe as 8 bytes a value (issue 11: json.dumps of 1 000 floats cost as much as
    the model's predict). Subclasses (np.matrix lists differently) and other dtypes keep Python's text."""
    np = sys.modules.get("numpy")
    if np is None or type(result) is not np.ndarray or result.dtype.str != "<f8":
        return None
    return result.tobytes()


def op_predict(req):
    # A request names its model, so a worker restarted between the app's 'load' and this call still
    # answers for the right model.
    model_dir = req.get("model_dir")
    if model_dir is not None and (_state["info"] is None or _state["info"].get("model_dir") != model_dir):
        op_load(req)
    if _state["predict"] is None:
        raise WorkerError("No model is loaded in this worker; send 'load' first.")
    data = decode_input(req["input"], req.get("_blob"))
    params = req.get("params")
    params = None if params is None else decode_value(params)
    started = time.perf_counter()
    try:
        result = _state["predict"](data, params)
    except Exception as e:  # noqa: BLE001 - the model's own failure, reported with its type
        return {"ok": False, "error": _exc(e, "predict"), "predict_ms": (time.perf_counter() - started) * 1000.0}
    predict_ms = (time.perf_counter() - started) * 1000.0
    out = {"ok": True, "predict_ms": predict_ms, "output": _describe(result)}
    # Only the bodies asked for: a request to one server must not pay for the other's serialization.
    servers = req.get("servers") or ("mlflow", "azureml")
    doubles = _f64_doubles(result)
    # mlflow's own predictions_to_json, when the interpreter has it, writes its body itself.
    mlflow_from_doubles = doubles is not None and _state.get("mlflow_serializer") is None
    if doubles is not None and ("azureml" in servers or ("mlflow" in servers and mlflow_from_doubles)):
        out["_f64"] = doubles
    if "mlflow" in servers and mlflow_from_doubles:
        out["mlflow"] = {"ok": True, "f64_tolist": True, "serializer": "preflight-copy"}
    elif "mlflow" in servers:
        try:
            text, serializer = _mlflow_body(result)
            out["mlflow"] = {"ok": True, "body": text, "serializer": serializer}
        except Exception as e:  # noqa: BLE001 - mlflow serve answers 500 here
            out["mlflow"] = {"ok": False, "error": _exc(e, "serialize")}
    if "azureml" in servers and doubles is not None:
        out["azureml"] = {"ok": True, "f64_tolist": True}
    elif "azureml" in servers:
        try:
            out["azureml"] = {"ok": True, "body": _azure_body(result)}
        except Exception as e:  # noqa: BLE001 - Azure's server answers 500 here
            out["azureml"] = {"ok": False, "error": _exc(e, "serialize")}
    return out


def op_ping(_req):
    import platform

    return {
        "protocol": PROTOCOL_VERSION,
        "pid": os.getpid(),
        "python": platform.python_version(),
        "executable": sys.executable,
        "mlflow_version": _mlflow_version(),
        "loaded": _state["info"] is not None,
    }


OPS = {"ping": op_ping, "load": op_load, "predict": op_predict}


def _detach_blob(message):
    """Moves what JSON would only slow down from a response's result to the frame's blob, and returns the
    blob's parts. Answer bodies: JSON-escaping (and, in Node, unescaping) a 10 000-row body would cost more
    than the model; `{"body": text}` one level down becomes `{"body": {"$text": k}}`, the texts go first in
    that order and the header's `texts` lists their byte lengths. Then a float64 prediction's doubles
    (`_f64` from op_predict) become `{"$f64": <byte offset>}` at the result's `f64`."""
    result = message.get("result")
    if not isinstance(result, dict):
        return ()
    parts = []
    for v in result.values():
        if isinstance(v, dict) and isinstance(v.get("body"), str):
            parts.append(v["body"].encode("utf-8"))
            v["body"] = {"$text": len(parts) - 1}
    if parts:
        message["texts"] = [len(b) for b in parts]
    doubles = result.pop("_f64", None)
    if doubles is not None:
        result["f64"] = {"$f64": sum(len(b) for b in parts)}
        parts.append(doubles)
    return parts


def main():
    _log("ready (python %s, pid %d)" % (sys.version.split()[0], os.getpid()))
    while True:
        rid = None
        stage = "request"
        try:
            frame = _receive()
            if frame is None:
                break
            req, blob = frame
            if not isinstance(req, dict):
                raise WorkerError("A request must be a JSON object.")
            rid = req.get("id")
            op = req.get("op")
            if op == "shutdown":
                _send({"id": rid, "ok": True, "result": {}})
                break
            handler = OPS.get(op)
            if handler is None:
                raise WorkerError("Unknown op %r." % (op,))
            stage = op
            req["_blob"] = blob
            result = handler(req)
            message = {"id": rid, "ok": True, "result": result}
            _send(message, _detach_blob(message))
        except WorkerError as e:
            _send({"id": rid, "ok": False, "error": {"stage": stage, "type": "WorkerError", "message": str(e)}})
        except Exception as e:  # noqa: BLE001 - anything else goes back as data, the worker stays up
            traceback.print_exc()
            _send({"id": rid, "ok": False, "error": _exc(e, stage)})


if __name__ == "__main__":
    main()
