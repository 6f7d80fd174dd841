"""Generates the SECOND FRESH requests of the recorded differential suite (see record.py --suite fresh2).

Written after every earlier suite was at 100 %, to measure freshness again (docs/fidelity.md §4: "a new held-out
set (another seed) is the way to measure it again"), with mutation kinds no earlier generator has:
  azure    Azure-ML-shaped bodies sent to MLflow: `input_data` (split / records / list), `data`, designer's
           `Inputs`/`GlobalParameters`, Azure's keys next to MLflow's, MLflow's keys under Azure's
  orient2  pandas forms the fresh suite lacks: `to_dict(orient="tight")`, a Series' `to_json` of every orient,
           a transposed frame, `double_precision`, `to_json(orient="split")` under `inputs`/`instances`
  numpy    `ndarray.tolist()` of int8/int32/uint64/float16/float32/bool arrays, shapes (n,) (n,1) (1,n) (0,k)
           (n,k,1), `json.dumps` of arrays with nan/inf, a column given as a float32-rounded value
  params2  params dicts with lists, None, nested dicts, lists of lists / bools / strings, unknown keys, unicode keys,
           huge ints, a list of dicts, params next to every input key
  excel    CSV as Excel writes it: CRLF, UTF-8 BOM, every field quoted, quoted numbers, a trailing empty line,
           a `sep=,` first line, a trailing comma on each line, `#DIV/0!` / `#N/A` / `#VALUE!`, `TRUE`/`FALSE`,
           `1.23E+05`, thousands separators, whitespace around fields, blank lines in the middle, no final newline
  unicode  unicode column names (NFD forms, full-width letters, a zero-width space, emoji, RTL) and values (lone
           surrogates, NUL, combining marks, emoji) in JSON and CSV
  long     very long rows: hundreds of extra columns, a 60 000-character string, 3 000 rows, deep nesting
  ctype2   `application/json; format=pandas-split|records`, `text/csv; charset=latin-1` with Latin-1 bytes,
           `application/octet-stream`, multipart, form-urlencoded, `text/plain`, `*/*`, an empty header, none
  dupkeys  duplicate JSON keys in params, in a columnar dict, across two input keys, keys differing in case
  numtok   number tokens Python's json reads differently or refuses: `1e400`, `-1e-400`, `0x10`, leading `+`,
           `01`, `1.`, `.5`, `NaN`/`-Infinity`, past float max, subnormals, past int64/uint64, in every column type
Uses the nine models of make-fidelity-models.py. Deterministic (seed 20261208); ids <model>/<class>/<n>.
"""

import csv
import io
import json
import random
import unicodedata

import numpy as np
import pandas as pd

from generate import Cases, j, print_summary

SEED = 20261208
REG = ["age", "bmi", "bp"]
MIXED = ["n_long", "n_int", "city", "score", "flag", "amount"]
CAP = {"regression": 130, "mixed": 170, "mixed-proba": 20, "nosig": 90, "params": 49, "tensor": 60, "typed": 22, "tensors": 20, "optional": 29}
IRIS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]


def reg_df(n=2):
    vals = [[0.0380759064334241, 0.0616962065186885, 0.0218723549949558], [-0.00188201652779104, -0.0514740612388061, -0.0263278347173518],
            [0.0852989062966783, 0.0444512133365941, -0.00567061055493425], [-0.0890629393522603, -0.0115950145052127, -0.0366564467985606]]
    return pd.DataFrame(vals[:n], columns=REG)


def mixed_df(n=2):
    return pd.DataFrame({
        "n_long": np.array([3, 70, 41, 8][:n], dtype=np.int64),
        "n_int": np.array([1, -2, 4, 0][:n], dtype=np.int32),
        "city": ["paris", "tokyo", "basic", "lima"][:n],
        "score": np.array([0.5, 0.3, 0.7, 0.125][:n], dtype=np.float32),
        "flag": [True, False, True, False][:n],
        "amount": [12.5, 900.0, 0.1, 3.25][:n],
    })


def iris_df(n=2):
    return pd.DataFrame([[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]][:n], columns=IRIS)


def wrap(key, text):
    return '{"%s": %s}' % (key, text)


# ---- azure: what an Azure ML endpoint's users send, sent to MLflow instead -------------------------------------

def azure_cases(c, df):
    split = json.loads(df.to_json(orient="split"))
    split_noidx = json.loads(df.to_json(orient="split", index=False))
    rec = json.loads(df.to_json(orient="records"))
    c.add("azure", json.dumps({"input_data": split}))
    c.add("azure", json.dumps({"input_data": split_noidx}))
    c.add("azure", json.dumps({"input_data": rec}))
    c.add("azure", json.dumps({"input_data": df.values.tolist()}, default=str))
    c.add("azure", json.dumps({"data": df.values.tolist()}, default=str))
    c.add("azure", json.dumps({"data": rec}))
    c.add("azure", json.dumps({"Inputs": {"data": rec}}))
    c.add("azure", json.dumps({"Inputs": {"WebServiceInput0": rec}, "GlobalParameters": {}}))
    c.add("azure", json.dumps({"input_data": split, "params": {"k": 2}}))
    c.add("azure", json.dumps({"input_data": {"columns": split["columns"], "data": split["data"]}, "dataframe_split": split}))
    c.add("azure", json.dumps({"dataframe_split": split, "GlobalParameters": {"method": "predict"}}))
    c.add("azure", json.dumps({"input_data": {"dataframe_split": split}}))
    c.add("azure", json.dumps({"inputs": {"input_data": split}}))
    c.add("azure", json.dumps({"input_data": {"inputs": rec}}))
    c.add("azure", json.dumps({"dataframe_split": {"input_data": split}}))
    c.add("azure", json.dumps({"dataframe_split": {"columns": split["columns"], "index": split["index"], "data": split["data"]}}, indent=2))


# ---- orient2: pandas forms the fresh suite does not send ------------------------------------------------------

def orient2_cases(c, df):
    tight = df.to_dict(orient="tight")
    c.add("orient2", json.dumps({"dataframe_split": tight}, default=str))
    c.add("orient2", json.dumps({"dataframe_split": {k: v for k, v in tight.items() if k != "index_names"}}, default=str))
    named = df.rename_axis("rid").rename_axis(columns="feat").to_dict(orient="tight")
    c.add("orient2", json.dumps({"dataframe_split": named}, default=str))
    first = df.iloc[0]
    for orient in ["split", "records", "index"]:
        c.add("orient2", wrap("dataframe_split", first.to_json(orient=orient)))
        c.add("orient2", wrap("inputs", first.to_json(orient=orient)))
        c.add("orient2", wrap("dataframe_records", first.to_json(orient=orient)))
    col = df[df.columns[0]]
    c.add("orient2", wrap("inputs", col.to_json(orient="split")))
    c.add("orient2", wrap("instances", col.to_json(orient="records")))
    c.add("orient2", json.dumps({"dataframe_records": [first.to_dict()]}, default=str))
    c.add("orient2", wrap("dataframe_split", df.T.to_json(orient="split")))
    c.add("orient2", wrap("inputs", df.T.to_json(orient="columns")))
    c.add("orient2", wrap("dataframe_split", df.to_json(orient="split", double_precision=3)))
    c.add("orient2", wrap("dataframe_records", df.to_json(orient="records", double_precision=1)))
    c.add("orient2", wrap("inputs", df.to_json(orient="split", index=False)))
    c.add("orient2", wrap("instances", df.to_json(orient="split")))
    c.add("orient2", wrap("dataframe_split", df.to_json(orient="columns")))
    c.add("orient2", wrap("dataframe_split", df.to_json(orient="index")))
    c.add("orient2", wrap("dataframe_split", df.reset_index().to_json(orient="split", index=False)))
    c.add("orient2", wrap("dataframe_records", df.reset_index().to_json(orient="records")))


# ---- numpy: ndarray.tolist() of what a user's arrays hold -----------------------------------------------------

def numpy_cases(c, width, base, key_forms):
    a = np.array(base, dtype=np.float64)
    n = 0
    arrays = [
        a.astype(np.float32), a.astype(np.float16), (a * 100).astype(np.int8), (a * 1000).astype(np.int32), (a * 1e6).astype(np.int64),
        np.abs(a * 1e6).astype(np.uint64), a > 0, a.reshape(-1, width, 1), a[:1], a.reshape(-1)[:width], a[:0], a.T,
        np.where(a > 0, a, np.nan), np.where(a > 0, a, np.inf), np.full_like(a, -0.0), np.round(a, 2),
    ]
    for arr in arrays:
        key = key_forms[n % len(key_forms)]
        c.add("numpy", json.dumps({key: arr.tolist()}))
        n += 1
    c.add("numpy", json.dumps({"inputs": a.astype(np.float32).tolist(), "params": None}))
    c.add("numpy", json.dumps({"instances": [list(map(bool, r)) for r in (a > 0).tolist()]}))
    c.add("numpy", json.dumps({"inputs": np.array([a, a]).tolist()}))
    c.add("numpy", json.dumps({"instances": a.reshape(-1).tolist()}))


def numpy_columns(c, cols, df):
    """One column of a records/columnar body replaced by a typed array's tolist()."""
    for k, col in enumerate(cols):
        v = df[col].to_numpy()
        for dt in [np.float32, np.int8, np.bool_, np.uint64]:
            try:
                arr = v.astype(dt)
            except (ValueError, TypeError):
                continue
            body = df.to_dict(orient="list")
            body[col] = arr.tolist()
            c.add("numpy", json.dumps({["inputs", "instances"][k % 2]: body}, default=str))


# ---- params2 ---------------------------------------------------------------------------------------------------

PARAMS2 = [
    {"k": None}, {"k": [None]}, {"ids": [None, 1]}, {"ids": None}, {"ids": [[1, 2]]}, {"ids": [True, False]}, {"ids": ["1", "2"]},
    {"ids": [1.0, 2.5]}, {"ids": {"a": 1}}, {"ids": [2 ** 63]}, {"ids": [-2 ** 63 - 1]}, {"k": 2 ** 64}, {"k": -2 ** 63},
    {"temperature": [0.1, 0.2]}, {"temperature": None}, {"temperature": {"v": 1}}, {"mode": None}, {"mode": ["fast"]},
    {"mode": {"fast": True}}, {"verbose": None}, {"verbose": [True]}, {"verbose": "true"}, {"verbose": 1},
    {"unknown": [1, 2]}, {"unknown": {"deep": {"deeper": [None]}}}, {"\u00e9t\u00e9": 1}, {"": 1},
    {"k": 2, "unknown": None, "ids": [3]}, {"k": 1.5, "temperature": "x", "mode": 3, "verbose": "no", "ids": "1"},
    {"k": None, "temperature": None, "mode": None, "verbose": None, "ids": None},
]


def params2_cases(c, cols, rows, with_schema):
    body = {"dataframe_split": {"columns": cols, "data": rows}}
    items = PARAMS2 if with_schema else PARAMS2[::4]
    forms = ["dataframe_split", "dataframe_records", "inputs", "instances"]
    for n, p in enumerate(items):
        form = forms[n % len(forms)]
        if form == "dataframe_split":
            d = dict(body)
        elif form == "inputs" and n % 8 == 2:
            d = {"inputs": {k: [r[i] for r in rows] for i, k in enumerate(cols)}}
        else:
            d = {form: [dict(zip(cols, r)) for r in rows]}
        d["params"] = p
        c.add("params2", json.dumps(d))
    c.add("params2", json.dumps({**body, "params": [{"k": 2}]}))
    c.add("params2", json.dumps({**body, "params": [["k", 2]]}))
    c.add("params2", json.dumps({**body, "params": 3}))
    c.add("params2", json.dumps({**body, "params": True}))
    c.add("params2", json.dumps({"params": {"k": 2}}))
    c.add("params2", json.dumps({**body, "params": {"k": 2}, "extra": 1}))


# ---- excel: CSV exported by Excel (and edited by hand) ---------------------------------------------------------

def excel_cases(c, cols, rows):
    """rows: list of lists of Python values; Excel writes every number as shown and quotes only when needed."""
    def line(vals, quote_all=False, sep=","):
        out = []
        for v in vals:
            t = "TRUE" if v is True else "FALSE" if v is False else str(v)
            out.append('"%s"' % t if quote_all or sep in t or '"' in t else t)
        return sep.join(out)

    head = line(cols)
    body = [line(r) for r in rows]
    crlf = "\r\n".join([head] + body) + "\r\n"
    c.add("excel", crlf, "text/csv")
    c.add("excel", "\ufeff" + crlf, "text/csv")
    c.add("excel", ("\ufeff" + crlf).encode("utf-8"), "text/csv; charset=utf-8")
    c.add("excel", "\r\n".join([line(cols, True)] + [line(r, True) for r in rows]) + "\r\n", "text/csv")
    c.add("excel", crlf + "\r\n", "text/csv")
    c.add("excel", crlf + ",".join([""] * len(cols)) + "\r\n", "text/csv")
    c.add("excel", "sep=,\r\n" + crlf, "text/csv")
    c.add("excel", "\r\n".join([head + ","] + [b + "," for b in body]) + "\r\n", "text/csv")
    c.add("excel", "\r\n".join([head] + body), "text/csv")
    c.add("excel", "\r\n".join([head, body[0], "", body[-1]]) + "\r\n", "text/csv")
    c.add("excel", "\r\n".join([head, body[0], "   ", body[-1]]) + "\r\n", "text/csv")
    c.add("excel", "\r\n".join([", ".join(cols)] + [", ".join(b.split(",")) for b in body]) + "\r\n", "text/csv")
    c.add("excel", "\r\n".join([head] + body) + "\r\n\r\n\r\n", "text/csv")
    c.add("excel", "\r".join([head] + body) + "\r", "text/csv")
    c.add("excel", "\t".join(cols) + "\r\n" + "\r\n".join("\t".join(b.split(",")) for b in body) + "\r\n", "text/csv")
    n_tok = 0
    for tok in ["#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "-", "'1.5", "1.23E+05", "1,234.5", '"1,234.5"', '"1.5"', " 1.5 ",
                "1.5E-03", "TRUE", "FALSE", "12%", "$3.00", "(3.5)", "1 234"]:
        i = n_tok % len(cols)
        n_tok += 1
        r = [line(x).split(",") for x in rows]
        r[0][i] = tok
        c.add("excel", "\r\n".join([head] + [",".join(x) for x in r]) + "\r\n", "text/csv")


# ---- unicode ---------------------------------------------------------------------------------------------------

def unicode_cases(c, cols, df, str_col=None):
    nfd = unicodedata.normalize("NFD", "caf\u00e9")
    names = [cols[0] + "\u200b", "\uff41\uff47\uff45" if cols[0] == "age" else cols[0].upper(), "\U0001f600", "\u05d2\u05d9\u05dc",
             nfd, "\u00e5ge", cols[0] + "\u00a0", "\u2003" + cols[0]]
    for n, name in enumerate(names):
        renamed = df.rename(columns={cols[0]: name})
        if n % 3 == 0:
            c.add("unicode", wrap("dataframe_split", renamed.to_json(orient="split", force_ascii=n % 2 == 0)))
        elif n % 3 == 1:
            c.add("unicode", json.dumps({"dataframe_records": json.loads(renamed.to_json(orient="records"))}, ensure_ascii=False))
        else:
            c.add("unicode", renamed.to_csv(index=False), "text/csv")
    if str_col is not None:
        for v in ["\\ud800", "\\udfff", "\\u0000", "e\\u0301", "\\ud83d\\ude80\\u200d", "\\u202e", "a\\u0000b", "\\uffff", "\\ufeff",
                  "\\t\\r\\n", "\\u2028", "\\\\"]:
            rows = json.loads(df.to_json(orient="values"))
            body = '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (
                j(cols), ", ".join("[%s]" % ", ".join(('"%s"' % v) if k == cols.index(str_col) and i == 0 else j(x) for k, x in enumerate(r))
                                   for i, r in enumerate(rows)))
            c.add("unicode", body)
        t = df.copy()
        t[str_col] = ["\u00fc\u00e9", "\u6771\u4eac"][: len(t)]
        c.add("unicode", t.to_csv(index=False).encode("utf-8"), "text/csv")
        c.add("unicode", t.to_csv(index=False).encode("utf-16"), "text/csv")
        c.add("unicode", json.dumps({"dataframe_records": json.loads(t.to_json(orient="records"))}, ensure_ascii=False).encode("utf-8"))


# ---- long rows ---------------------------------------------------------------------------------------------------

def long_cases(c, cols, df, str_col=None):
    rec = json.loads(df.to_json(orient="records"))
    wide = [dict(r, **{"extra_%03d" % k: k * 0.5 for k in range(300)}) for r in rec]
    c.add("long", json.dumps({"dataframe_records": wide}))
    c.add("long", json.dumps({"dataframe_split": {"columns": list(wide[0]), "data": [list(r.values()) for r in wide]}}))
    c.add("long", json.dumps({"inputs": {k: [r[k] for r in wide] for k in wide[0]}}))
    big = pd.concat([df] * 1500, ignore_index=True)
    c.add("long", wrap("dataframe_split", big.to_json(orient="split", index=False)))
    c.add("long", big.to_csv(index=False), "text/csv")
    c.add("long", json.dumps({"dataframe_split": {"columns": cols, "data": [list(rec[0].values()) * 40]}}))
    deep = 0.5
    for _ in range(60):
        deep = [deep]
    c.add("long", json.dumps({"inputs": deep}))
    c.add("long", json.dumps({"dataframe_records": [dict(rec[0], **{cols[0]: deep})]}))
    if str_col is not None:
        long_rec = [dict(r) for r in rec]
        long_rec[0][str_col] = "x" * 60000
        c.add("long", json.dumps({"dataframe_records": long_rec}))
        long_rec[0][str_col] = "\u00e9" * 30000
        c.add("long", json.dumps({"instances": long_rec}, ensure_ascii=False))


# ---- ctype2 -----------------------------------------------------------------------------------------------------

CTYPES2 = [
    ("application/json; format=pandas-split", "split"), ("application/json; format=pandas-records", "records"),
    ("application/json; format=pandas-split", "bare-split"), ("application/json; format=pandas-records", "bare-records"),
    ("application/json; format=tf-serving", "split"), ("text/csv; charset=latin-1", "csv-latin1"), ("text/csv; charset=latin-1", "csv"),
    ("application/json; charset=latin-1", "json-latin1"), ("text/csv; charset=utf-8-sig", "csv-bom"), ("text/csv; header=present", "csv"),
    ("application/octet-stream", "split"), ("multipart/form-data; boundary=xyz", "split"), ("application/x-www-form-urlencoded", "split"),
    ("text/plain", "split"), ("text/plain; charset=utf-8", "csv"), ("*/*", "split"), ("", "split"), (None, "split"), (None, "csv"),
    ("application/jsonlines", "split"), ("application/json-seq", "split"), ("application/vnd.api+json", "split"),
    ("text/json", "split"), ("application/csv", "csv"), ("text/comma-separated-values", "csv"), ("application/JSON;format=pandas-split", "split"),
]


def ctype2_cases(c, df, latin_col=None):
    latin = df.copy()
    if latin_col is not None:
        latin[latin_col] = ["M\u00fcnchen", "Z\u00fcrich"][: len(latin)]
    bodies = {
        "split": wrap("dataframe_split", df.to_json(orient="split", index=False)).encode(),
        "records": wrap("dataframe_records", df.to_json(orient="records")).encode(),
        "bare-split": df.to_json(orient="split", index=False).encode(),
        "bare-records": df.to_json(orient="records").encode(),
        "csv": df.to_csv(index=False).encode(),
        "csv-latin1": latin.to_csv(index=False).encode("latin-1"),
        "json-latin1": json.dumps({"dataframe_records": json.loads(latin.to_json(orient="records"))}, ensure_ascii=False).encode("latin-1"),
        "csv-bom": df.to_csv(index=False).encode("utf-8-sig"),
    }
    for ct, b in CTYPES2:
        c.add("ctype2", bodies[b], ct)


# ---- dupkeys ------------------------------------------------------------------------------------------------------

def dupkeys_cases(c, cols, rows):
    s, d = j(cols), j(rows)
    rec = [dict(zip(cols, r)) for r in rows]
    colsd = ", ".join("%s: %s" % (j(k), j([r[i] for r in rows])) for i, k in enumerate(cols))
    c.add("dupkeys", '{"dataframe_split": {"columns": %s, "data": %s}, "params": {"k": 1, "k": 2.5}}' % (s, d))
    c.add("dupkeys", '{"dataframe_split": {"columns": %s, "data": %s}, "params": {"k": "x", "k": 2}}' % (s, d))
    c.add("dupkeys", '{"inputs": {%s, %s: %s}}' % (colsd, j(cols[0]), j(["dup"] * len(rows))))
    c.add("dupkeys", '{"instances": {%s: %s, %s}}' % (j(cols[0]), j([None] * len(rows)), colsd))
    c.add("dupkeys", '{"dataframe_split": {"columns": %s, "data": %s}, "inputs": %s}' % (s, d, j(rec)))
    c.add("dupkeys", '{"dataframe_records": %s, "Dataframe_Records": %s}' % (j(rec), j(rec[:1])))
    c.add("dupkeys", '{"DATAFRAME_SPLIT": {"columns": %s, "data": %s}}' % (s, d))
    c.add("dupkeys", '{"dataframe_split": {"columns": %s, "data": %s, "index": [0, 1], "index": ["a", "b"]}}' % (s, d))
    c.add("dupkeys", '{"dataframe_split": {"columns": %s, "data": %s}, "dataframe_split": null}' % (s, d))
    c.add("dupkeys", '{"dataframe_split": null, "dataframe_split": {"columns": %s, "data": %s}}' % (s, d))
    c.add("dupkeys", '{"dataframe_records": [%s]}' % ", ".join(
        "{%s}" % ", ".join("%s: %s" % (j(k), j(v)) for k, v in list(r.items()) + [(cols[-1], None)]) for r in rec))
    c.add("dupkeys", '{"params": {"k": 2}, "dataframe_split": {"columns": %s, "data": %s}, "params": null}' % (s, d))


# ---- numtok: number tokens -----------------------------------------------------------------------------------------

NUMTOK = ["1e400", "-1e400", "-1e-400", "1e-400", "0x10", "+1", "+1.5", "01", "-01", "1.", ".5", "-.5", "1e", "1e+", "NaN", "-NaN",
          "Infinity", "-Infinity", "+Infinity", "inf", "nan", "1_000", "-0", "-0.0e0", "2e308", "1.7976931348623157e308",
          "1.7976931348623159e308", "4e-324", "2.4703282292062328e-324", "9223372036854775807", "-9223372036854775809",
          "18446744073709551616", "2147483648", "-2147483649", "1e19", "100000000000000000000000", "0.0", "1E400", "5e-324",
          "123456789012345678901234567890.5"]


def numtok_cases(c, cols, rows, targets, forms, rng, count):
    """`count` seeded (target column, token, form) picks: the raw token text in one cell."""
    picks = [(t, tok) for t in targets for tok in NUMTOK]
    for n, (t, tok) in enumerate(sorted(rng.sample(picks, min(count, len(picks))), key=lambda p: (cols.index(p[0]), NUMTOK.index(p[1])))):
        r = [[j(v) for v in row] for row in rows]
        r[n % len(r)][cols.index(t)] = tok
        form = forms[n % len(forms)]
        if form == "split":
            body = '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), ", ".join("[%s]" % ", ".join(x) for x in r))
        elif form == "inputs-cols":
            body = '{"inputs": {%s}}' % ", ".join("%s: [%s]" % (j(k), ", ".join(x[i] for x in r)) for i, k in enumerate(cols))
        elif form == "csv":
            body = ",".join(cols) + "\n" + "\n".join(",".join(x.strip('"') for x in row) for row in r) + "\n"
            c.add("numtok", body, "text/csv")
            continue
        else:
            body = '{"%s": [%s]}' % (form, ", ".join("{%s}" % ", ".join("%s: %s" % (j(k), v) for k, v in zip(cols, x)) for x in r))
        c.add("numtok", body)


def tensor_numtok(c, rng, count):
    rows = iris_df().values.tolist()
    for n, tok in enumerate(sorted(rng.sample(NUMTOK, count), key=NUMTOK.index)):
        r = [[j(v) for v in row] for row in rows]
        r[n % 2][n % 4] = tok
        c.add("numtok", '{"%s": [%s]}' % (["inputs", "instances"][n % 2], ", ".join("[%s]" % ", ".join(x) for x in r)))


# ---- round 2 (appended whole after the first measure; measured on its own before any fix of its own) ------------

def route2_cases(c, body):
    """What a client's URL building sends: a base URL ending in "/" (`//invocations`), other casings, query strings,
    percent-encoding, other methods (Flask adds HEAD and OPTIONS to its routes)."""
    for p in ["/", "/foo", "/ping/", "/invocations/", "/PING", "//ping", "//invocations", "/ping?x=1", "/health?", "/version/",
              "/%70ing", "/ping%20", "/favicon.ico", "/invocations;x", "/ping/../version"]:
        c.add("route2", b"", None, "GET", p)
    for p in ["//invocations", "/invocations/", "/invocations?format=pandas-split", "/invocations?", "/Invocations", "/ping", "/version",
              "/health", "/%69nvocations", "/api/v1/invocations", "/score", "/invocations//", "///invocations", "/./invocations"]:
        c.add("route2", body, "application/json", "POST", p)
    for m, p in [("HEAD", "/ping"), ("HEAD", "/invocations"), ("HEAD", "/version"), ("OPTIONS", "/ping"), ("OPTIONS", "/invocations"),
                 ("PUT", "/invocations"), ("DELETE", "/invocations"), ("PATCH", "/ping"), ("DELETE", "/ping"), ("OPTIONS", "/foo")]:
        c.add("route2", b"", None, m, p)


def rjson_cases(c, cols, rows):
    """R's jsonlite: numbers rounded to 4 digits, NA / NaN / Inf as strings in numeric columns, a row's NA field left
    out, scalars as one-element arrays (auto_unbox = FALSE), a matrix for `data`, columns as a data.frame."""
    r4 = [[round(v, 4) if isinstance(v, float) else v for v in r] for r in rows]
    c.add("rjson", json.dumps({"dataframe_records": [dict(zip(cols, r)) for r in r4]}))
    c.add("rjson", json.dumps({"inputs": {k: [r[i] for r in r4] for i, k in enumerate(cols)}}))
    c.add("rjson", json.dumps({"dataframe_split": {"columns": cols, "data": r4}}))
    c.add("rjson", json.dumps({"dataframe_split": {"columns": [[k] for k in cols], "data": r4}}))
    c.add("rjson", json.dumps({"dataframe_split": {"columns": cols, "data": r4}, "params": {"k": [2]}}))
    c.add("rjson", json.dumps({"dataframe_split": [{"columns": cols, "data": r4}]}))
    c.add("rjson", json.dumps({"dataframe_records": [dict(zip(cols, r)) for r in r4]}, indent=2))
    c.add("rjson", json.dumps({"dataframe_records": [{k: [v] for k, v in zip(cols, r)} for r in r4]}))
    for n, tok in enumerate(["NA", "NaN", "Inf", "-Inf", "NA_real_", "NULL", "TRUE", "1e-04"]):
        for k in range(len(cols)):
            if not isinstance(rows[0][k], float):
                continue
            rr = [list(r) for r in r4]
            rr[n % len(rr)][k] = tok
            form = n % 3
            if form == 0:
                c.add("rjson", json.dumps({"dataframe_records": [dict(zip(cols, r)) for r in rr]}))
            elif form == 1:
                c.add("rjson", json.dumps({"dataframe_split": {"columns": cols, "data": rr}}))
            else:
                c.add("rjson", json.dumps({"inputs": {kk: [r[i] for r in rr] for i, kk in enumerate(cols)}}))
            break
    dropped = [dict(zip(cols, r)) for r in r4]
    del dropped[0][cols[-1]]
    c.add("rjson", json.dumps({"dataframe_records": dropped}))
    c.add("rjson", json.dumps({"instances": dropped}))


def client_cases(c, cols, rows):
    """Bodies other languages' JSON writers produce: .NET's uppercase \\u escapes and 7-digit fractions, Go's escaped
    <>&, JavaScript's Date.toJSON(), Spark's `toJSON()` (a list of JSON strings), Java's BigDecimal `1.0E-4`."""
    rec = [dict(zip(cols, r)) for r in rows]
    text = json.dumps({"dataframe_records": rec})
    c.add("clients", text.replace('"', '"', 1).replace("a", "\\u0061"))
    c.add("clients", json.dumps({"dataframe_records": [json.dumps(r) for r in rec]}))
    c.add("clients", json.dumps({"inputs": [json.dumps(r) for r in rec]}))
    c.add("clients", json.dumps({"dataframe_split": {"columns": cols, "data": [json.dumps(r) for r in rows]}}))
    java = json.dumps({"dataframe_split": {"columns": cols, "data": rows}})
    for a, b in [("0.0", "0.0E0"), ("e-", "E-"), (", ", ","), (": ", ":")]:
        java = java.replace(a, b)
    c.add("clients", java)
    c.add("clients", json.dumps({"dataframe_records": rec}).replace("-", "\\u002D").replace('"\\u002D', '"-'))


def typed_client_cases(c):
    base = {"x": 0.25, "when": "2024-01-15", "blob": "aGVsbG8=", "n": 3}
    for when in ["2024-01-15T10:30:00.000Z", "2024-01-15T10:30:00.1234567", "2024-01-15T10:30:00.1234567+02:00", "2024-01-15T10:30:00.123456789Z",
                 "2024-01-15T10:30:00+0200", "2024-01-15T10:30:00.000+00:00", "Mon, 15 Jan 2024 10:30:00 GMT", "/Date(1705314600000)/",
                 "2024-01-15T10:30", "2024-01-15 10:30:00 UTC", "2024-1-5", "2024/01/15"]:
        for key in ["dataframe_records", "instances"]:
            c.add("clients", json.dumps({key: [dict(base, when=when), dict(base, x=1.5)]}))
    for blob in ["aGVsbG8=\r\n", "aGVs\nbG8=", "AP8", "_w", "data:application/octet-stream;base64,aGVsbG8="]:
        c.add("clients", json.dumps({"dataframe_records": [dict(base, blob=blob)]}).replace("\\\\", "\\"))


def generate():
    rng = random.Random(SEED)
    out = {}

    reg = reg_df()
    reg_rows = reg.values.tolist()
    c = Cases("regression")
    azure_cases(c, reg)
    orient2_cases(c, reg)
    numpy_cases(c, 3, reg_df(4).values.tolist(), ["inputs", "instances"])
    excel_cases(c, REG, reg_rows)
    unicode_cases(c, REG, reg)
    long_cases(c, REG, reg)
    ctype2_cases(c, reg)
    dupkeys_cases(c, REG, reg_rows)
    numtok_cases(c, REG, reg_rows, ["bmi"], ["split", "dataframe_records", "instances", "inputs-cols", "csv"], rng, 30)
    out["regression"] = c.items

    mixed = mixed_df()
    mixed_rows = json.loads(mixed.to_json(orient="values"))
    c = Cases("mixed")
    azure_cases(c, mixed)
    orient2_cases(c, mixed)
    numpy_columns(c, MIXED, mixed)
    excel_cases(c, MIXED, mixed.values.tolist())
    unicode_cases(c, MIXED, mixed, "city")
    long_cases(c, MIXED, mixed, "city")
    ctype2_cases(c, mixed, "city")
    dupkeys_cases(c, MIXED, mixed_rows)
    numtok_cases(c, MIXED, mixed_rows, ["n_long", "n_int", "score", "flag", "amount", "city"],
                 ["split", "dataframe_records", "instances", "inputs-cols", "inputs", "csv"], rng, 70)
    out["mixed"] = c.items

    c = Cases("mixed-proba")
    three = mixed_df(3)
    azure_cases(c, three)
    numtok_cases(c, MIXED, json.loads(three.to_json(orient="values")), ["amount", "score"], ["split", "inputs", "csv"], rng, 12)
    out["mixed-proba"] = c.items

    c = Cases("nosig")
    azure_cases(c, reg)
    orient2_cases(c, reg)
    numpy_cases(c, 3, reg_df(4).values.tolist(), ["inputs", "instances"])
    unicode_cases(c, REG, reg)
    ctype2_cases(c, reg)
    dupkeys_cases(c, REG, reg_rows)
    params2_cases(c, REG, reg_rows[:1], False)
    numtok_cases(c, REG, reg_rows, ["age", "bp"], ["split", "dataframe_records", "instances", "csv"], rng, 25)
    out["nosig"] = c.items

    c = Cases("params")
    params2_cases(c, REG, reg_rows, True)
    dupkeys_cases(c, REG, reg_rows)
    c.add("params2", json.dumps({"input_data": json.loads(reg.to_json(orient="split")), "params": {"k": 3}}))
    out["params"] = c.items

    c = Cases("tensor")
    iris = iris_df()
    azure_cases(c, iris)
    numpy_cases(c, 4, iris_df(3).values.tolist() + [[6.3, 2.5, 5.0, 1.9]], ["inputs", "instances"])
    ctype2_cases(c, iris)
    tensor_numtok(c, rng, 24)
    c.add("excel", "\ufeff" + iris.to_csv(index=False).replace("\n", "\r\n"), "text/csv")
    out["tensor"] = c.items

    c = Cases("typed")
    typed = pd.DataFrame({"x": [0.25, 1.5], "when": ["2024-01-15", "2024-01-16"], "blob": ["aGVsbG8=", "AP8="], "n": [3, 7]})
    azure_cases(c, typed)
    excel_cases(c, ["x", "when", "blob", "n"], [[0.25, "2024-01-15", "aGVsbG8=", 3], [1.5, "15/01/2024 10:30", "AP8=", 7]])
    out["typed"] = [x for k, x in enumerate(c.items) if x["cls"] == "azure" or k % 5 == 0]

    c = Cases("tensors")
    a = np.array([[1.5, 2.0], [0.25, -3.0]])
    for dt_a, dt_b in [(np.float32, np.int32), (np.float16, np.int8), (np.int64, np.uint64), (np.bool_, np.bool_), (np.float64, np.float64)]:
        c.add("numpy", json.dumps({"inputs": {"a": a.astype(dt_a).tolist(), "b": np.array([3, 7]).astype(dt_b).tolist()}}))
        c.add("numpy", json.dumps({"instances": {"a": a.astype(dt_a).tolist(), "b": np.array([3, 7]).astype(dt_b).tolist()}}))
    c.add("azure", json.dumps({"input_data": {"a": a.tolist(), "b": [3, 7]}}))
    c.add("azure", json.dumps({"data": {"a": a.tolist(), "b": [3, 7]}}))
    c.add("numtok", '{"inputs": {"a": [[1e400, 2.0], [0.25, -3.0]], "b": [3, 7]}}')
    c.add("numtok", '{"inputs": {"a": [[1.5, 2.0], [0.25, -3.0]], "b": [1e400, 7]}}')
    c.add("numtok", '{"inputs": {"a": [[1.5, 2.0], [0.25, -3.0]], "b": [18446744073709551616, 7]}}')
    c.add("numtok", '{"inputs": {"a": [[NaN, 2.0], [0.25, -Infinity]], "b": [3, 7]}}')
    c.add("numtok", '{"inputs": {"a": [[-1e-400, 2.0], [0.25, -3.0]], "b": [-0, 7]}}')
    c.add("dupkeys", '{"inputs": {"a": [[1.5, 2.0], [0.25, -3.0]], "b": [3, 7], "a": [[1, 2]]}}')
    c.add("dupkeys", '{"inputs": {"a": [[1.5, 2.0], [0.25, -3.0]], "b": [3, 7], "b": [1]}}')
    c.add("params2", json.dumps({"inputs": {"a": a.tolist(), "b": [3, 7]}, "params": {"a": [1]}}))
    out["tensors"] = c.items

    c = Cases("optional")
    full = pd.DataFrame({"x": [0.5, 2.0], "n": [1, 2], "tag": ["a", "b"]})
    azure_cases(c, full[["x"]])
    excel_cases(c, ["x", "n", "tag"], [[0.5, 1, "a"], [2.0, "", "b"]])
    c.add("numpy", json.dumps({"inputs": {"x": np.array([0.5, 2.0], dtype=np.float32).tolist(), "n": np.array([1, 2], dtype=np.int8).tolist()}}))
    c.add("numpy", json.dumps({"inputs": {"x": [True, False]}}))
    out["optional"] = [x for k, x in enumerate(c.items) if x["cls"] != "excel" or k % 3 == 0]
    # 300–600 requests per version: a seeded sample of each model's cases, in generation order.
    pick = random.Random(SEED + 1)
    for name, items in out.items():
        keep = sorted(pick.sample(range(len(items)), min(CAP[name], len(items))))
        out[name] = [items[i] for i in keep]
    # Round 2, appended whole (the sample above stays what was recorded and measured first).
    reg, mixed = reg_df(), mixed_df()
    for name, cols, rows in [("regression", REG, reg.values.tolist()), ("mixed", MIXED, json.loads(mixed.to_json(orient="values"))),
                             ("nosig", REG, reg.values.tolist())]:
        c = Cases(name)
        c.count = {"route2": 0, "rjson": 0, "clients": 0}
        if name != "mixed":
            route2_cases(c, json.dumps({"dataframe_split": {"columns": cols, "data": rows}}).encode())
        rjson_cases(c, cols, rows)
        client_cases(c, cols, rows)
        out[name] = out[name] + c.items
    c = Cases("typed")
    typed_client_cases(c)
    out["typed"] = out["typed"] + c.items
    return out


if __name__ == "__main__":
    print_summary(generate())
