"""Generates the FRESH requests of the recorded differential suite (see record.py --suite fresh).

Written after the main, held-out, nested and row-MultiIndex suites, by someone who did not fix their rules, to
probe what a data scientist actually sends — not mutations of a table the rules were fixed against:
  orient   pandas `df.to_json(orient=…)` / `df.to_dict(orient=…)` output of every orient (split, records,
           index, columns, values, table), bare or under each MLflow key (the right one and the wrong ones)
  records  dataframe_records / instances rows with missing, extra, renamed or re-ordered keys, null cells
  numbers  one value in many spellings: 1 / 1.0 / 1e0 / 1E+00 / 10e-1, huge and tiny exponents, > 2**53 ints
  strings  strings holding numbers, booleans, dates, thousands separators; unicode names and values; long text
  layout   pretty-printed / tab / CRLF bodies; duplicated keys at every level (Python keeps the last)
  ctype    content types with charset and other parameters, odd casing and spacing, vendor types
  csv      `df.to_csv()` with and without the index, quoting modes, CRLF, other separators / decimals, no header,
           na_rep, float_format, embedded commas, quotes and newlines
  nested   numpy-ish nesting: `df.values.tolist()`, one flat row, a 3-d list, column-major lists
  params   each params-schema entry given each JSON type, several at once, params in the wrong place
  dates    (typed model: x double, when datetime, blob binary, n long) dates as ISO strings with and without time,
           zone, fraction; epoch ms as to_json writes them; other spellings, nulls, invalid dates
  bytes    (typed model) base64 with and without padding, url-safe, not base64, empty, numbers, nulls
  tensors  (added last, a model with two named tensors a: float64 [-1, 2], b: int64 [-1]) what a user builds from
           numpy: dict of lists, records, 1-d/3-d a, scalar b, missing/extra names, dtype slips, strings, nulls
  optional (2.12.2 only: x double required, n long and tag string `required: false`) optional columns left out in
           every form, given as null, given in some records only, extra columns next to them, CSV without them
  user     (added after the first two rounds were fixed, measured on its own) a body JSON-encoded twice, to_json's
           string under a key, NDJSON (`lines=True`), json.dumps' NaN / Infinity from a frame with gaps, 70–120-row
           frames with a column left out (2.12 prints them truncated), categorical and nullable dtypes, numpy bools
           as 0/1, a frame's index names and column axis name, python reprs pasted as bodies
Uses the six models of make-fidelity-models.py; the bodies come from Debian's pandas 1.5 itself where a user would
use it (to_json/to_csv), so they are byte for byte what such a user sends. Deterministic; ids <model>/<class>/<n>.
"""

import csv
import io
import json
import random

import numpy as np
import pandas as pd

from generate import Cases, j, print_summary

SEED = 20261206
REG = ["age", "bmi", "bp"]
MIXED = ["n_long", "n_int", "city", "score", "flag", "amount"]
TYPED = ["x", "when", "blob", "n"]
DATES = ['"2024-01-15"', '"2024-01-15T10:30:00"', '"2024-01-15 10:30:00"', '"2024-01-15T10:30:00Z"', '"2024-01-15T10:30:00+02:00"',
         '"2024-01-15T10:30:00.123456789"', '"15/01/2024"', '"01/15/2024"', '"Jan 15 2024"', '"20240115"', "1705276800000", "1705276800",
         "1705276800.5", '"1705276800000"', "null", '""', '"NaT"', '"now"', '"today"', '"2024-13-01"', '"2024-02-30"', '"1677-09-21"',
         '"2262-04-12"', '"0001-01-01"', "true", "[2024, 1, 15]", '"2024-01-15T25:00:00"', '"  2024-01-15  "', '"2024-W03"', "-1"]
BLOBS = ['"aGVsbG8="', '"aGVsbG8"', '"aGVsbG8=\\n"', '"-_8="', '"+/8="', '"hello!"', '""', '"===="', "1", "null", "true", '"\u00e9t\u00e9"',
         '"YQ"', '"YWJj ZGVm"', "[1, 2]", '"AA=="']
CAP = {"typed": 70, "regression": 75, "mixed": 100, "mixed-proba": 20, "nosig": 35, "params": 45, "tensor": 35}
KEYS = ["dataframe_split", "dataframe_records", "instances", "inputs"]


def reg_df(n=2):
    vals = [[0.0380759064334241, 0.0616962065186885, 0.0218723549949558], [-0.00188201652779104, -0.0514740612388061, -0.0263278347173518],
            [0.0852989062966783, 0.0444512133365941, -0.00567061055493425]]
    return pd.DataFrame(vals[:n], columns=REG)


def mixed_df(n=2):
    return pd.DataFrame({
        "n_long": np.array([3, 70, 41][:n], dtype=np.int64),
        "n_int": np.array([1, -2, 4][:n], dtype=np.int32),
        "city": ["paris", "tokyo", "basic"][:n],
        "score": np.array([0.5, 0.3, 0.7][:n], dtype=np.float32),
        "flag": [True, False, True][:n],
        "amount": [12.5, 900.0, 0.1][:n],
    })


def iris_df(n=2):
    return pd.DataFrame([[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]][:n],
                        columns=["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"])


def wrap(key, text):
    return '{"%s": %s}' % (key, text)


def orient_cases(c, df):
    """Every orient pandas writes, bare and under each key; to_dict's forms as json.dumps writes them."""
    for orient in ["split", "records", "index", "columns", "values", "table"]:
        text = df.to_json(orient=orient)
        c.add("orient", text)
        for key in KEYS:
            c.add("orient", wrap(key, text))
    c.add("orient", wrap("dataframe_split", df.to_json(orient="split", index=False)))
    c.add("orient", wrap("dataframe_split", df.to_json(orient="split", double_precision=15)))
    c.add("orient", json.dumps({"dataframe_split": df.to_dict(orient="split")}, default=str))
    c.add("orient", json.dumps({"dataframe_records": df.to_dict(orient="records")}, default=str))
    c.add("orient", json.dumps({"inputs": df.to_dict(orient="list")}, default=str))
    c.add("orient", json.dumps({"instances": df.to_dict(orient="list")}, default=str))
    c.add("orient", json.dumps({"dataframe_split": {"columns": list(df.columns), "data": df.to_dict(orient="records")}}, default=str))
    c.add("orient", '{"dataframe_split": %s, "params": {}}' % df.to_json(orient="split"))
    # A user's index that is not 0..n-1 (after a filter), and dates as the index.
    shifted = df.set_index(pd.Index([10 + 7 * i for i in range(len(df))]))
    c.add("orient", wrap("dataframe_split", shifted.to_json(orient="split")))
    c.add("orient", wrap("dataframe_records", shifted.to_json(orient="index")))
    dated = df.set_index(pd.date_range("2024-01-01", periods=len(df), freq="D"))
    c.add("orient", wrap("dataframe_split", dated.to_json(orient="split")))
    c.add("orient", wrap("dataframe_split", dated.to_json(orient="split", date_format="iso")))


def records_cases(c, df, rng):
    rows = json.loads(df.to_json(orient="records"))
    cols = list(df.columns)
    for key in ["dataframe_records", "instances", "inputs"]:
        missing = [dict(r) for r in rows]
        del missing[1][cols[rng.randrange(len(cols))]]
        c.add("records", json.dumps({key: missing}))
        extra = [dict(r, id=i, note="n%d" % i) for i, r in enumerate(rows)]
        c.add("records", json.dumps({key: extra}))
        renamed = [dict(r) for r in rows]
        renamed[0][cols[0].title()] = renamed[0].pop(cols[0])
        c.add("records", json.dumps({key: renamed}))
        shuffled = [dict(rng.sample(list(r.items()), len(r))) for r in rows]
        c.add("records", json.dumps({key: shuffled}))
        nulls = [dict(r) for r in rows]
        nulls[0][cols[-1]] = None
        c.add("records", json.dumps({key: nulls}))
    c.add("records", json.dumps({"dataframe_records": rows[:1] + [{}]}))
    c.add("records", json.dumps({"dataframe_records": [{k: v for k, v in r.items() if k != cols[0]} for r in rows]}))
    c.add("records", json.dumps({"dataframe_records": rows[0]}))
    c.add("records", json.dumps({"dataframe_records": [[r] for r in rows]}))
    c.add("records", json.dumps({"dataframe_records": [{"row": r} for r in rows]}))
    c.add("records", json.dumps({"instances": [dict(r, **{cols[0]: None}) for r in rows]}))


NUMBER_SPELLINGS = ["1", "1.0", "1e0", "1E+00", "10e-1", "0.1e1", "1.000000000000000000001", "100E-2", "-0e0", "2e9", "3E9",
                    "1e22", "1e23", "1.5e300", "-2.5E-310", "123456789012345678", "9007199254740993.0", "4.9406564584124654e-324",
                    "0.1000000000000000055511151231257827", "1e-0", "-1E-5"]


def token_cases(c, cls, tokens, cols, base_rows, targets, forms, rotate_rows):
    """One case per target column and token: the token in one cell (the first row, or rotating), forms rotating."""
    n = 0
    for col in targets:
        i = cols.index(col)
        for tok in tokens:
            rows = [list(r) for r in base_rows]
            rows[n % len(rows) if rotate_rows else 0][i] = tok
            c.add(cls, body_of(forms[n % len(forms)], cols, rows))
            n += 1


def number_cases(c, cols, base_rows, targets, forms):
    token_cases(c, "numbers", NUMBER_SPELLINGS, cols, base_rows, targets, forms, True)


def body_of(form, cols, rows):
    if form == "split":
        return '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), ", ".join("[%s]" % ", ".join(r) for r in rows))
    if form == "inputs-cols":
        return '{"inputs": {%s}}' % ", ".join("%s: [%s]" % (j(k), ", ".join(r[i] for r in rows)) for i, k in enumerate(cols))
    return '{"%s": [%s]}' % (form, ", ".join("{%s}" % ", ".join("%s: %s" % (j(k), v) for k, v in zip(cols, r)) for r in rows))


STRING_VALUES = ['"3"', '"3.0"', '" 3 "', '"1e3"', '"-0"', '"true"', '"True"', '"FALSE"', '"0"', '"2024-01-15"', '"2024-01-15T10:30:00Z"',
                 '"1,234.5"', '"$12"', '"12%"', '"\\u4e1c\\u4eac"', '"Z\\u00fcrich"', '"caf\\u00e9"', '"\\ud83d\\ude80"',
                 '"' + "lorem ipsum " * 700 + '"', '"nan"', '"None"', '"\\u0661\\u0662"', '"\\u00bd"']


def string_cases(c, cols, base_rows, targets, forms):
    token_cases(c, "strings", STRING_VALUES, cols, base_rows, targets, forms, False)


def unicode_names(c, df):
    renamed = df.rename(columns={df.columns[0]: "\u00e2ge", df.columns[-1]: "\u91d1\u984d"})
    c.add("strings", wrap("dataframe_split", renamed.to_json(orient="split", force_ascii=False)))
    c.add("strings", wrap("dataframe_records", renamed.to_json(orient="records")))
    c.add("strings", json.dumps({"inputs": renamed.to_dict(orient="list")}, ensure_ascii=False))
    spaced = df.rename(columns={df.columns[0]: " " + df.columns[0], df.columns[1]: df.columns[1] + " "})
    c.add("strings", wrap("dataframe_split", spaced.to_json(orient="split")))
    upper = df.rename(columns=str.upper)
    c.add("strings", wrap("dataframe_records", upper.to_json(orient="records")))


def layout_cases(c, df):
    split = json.loads(df.to_json(orient="split", index=False))
    rec = json.loads(df.to_json(orient="records"))
    c.add("layout", json.dumps({"dataframe_split": split}, indent=4))
    c.add("layout", json.dumps({"dataframe_records": rec}, indent="\t", sort_keys=True))
    c.add("layout", json.dumps({"inputs": rec}, indent=2).replace("\n", "\r\n"))
    c.add("layout", json.dumps({"dataframe_split": split}, separators=(",", ":")) + "\n")
    c.add("layout", "\n\n" + json.dumps({"instances": rec}) + "\t \n")
    # Duplicated keys: json.loads keeps the last value of a key.
    s, d = j(split["columns"]), j(split["data"])
    c.add("layout", '{"dataframe_split": {"columns": %s, "data": %s, "data": %s}}' % (s, d, j(split["data"][:1])))
    c.add("layout", '{"dataframe_split": {"columns": %s, "columns": %s, "data": %s}}' % (j(["x"] * len(split["columns"])), s, d))
    c.add("layout", '{"dataframe_split": {"columns": %s, "data": %s}, "dataframe_split": {"columns": %s, "data": %s}}' % (s, d, s, j(split["data"][:1])))
    c.add("layout", '{"dataframe_records": %s, "dataframe_records": %s}' % (j(rec), j(rec[:1])))
    c.add("layout", '{"inputs": %s, "inputs": null}' % j(rec))
    first = rec[0]
    k0 = next(iter(first))
    dup = "{%s, %s: %s}" % (", ".join("%s: %s" % (j(k), j(v)) for k, v in first.items()), j(k0), j("dup"))
    c.add("layout", '{"dataframe_records": [%s]}' % dup)
    c.add("layout", '{"instances": [%s]}' % dup)
    dup2 = "{%s: %s, %s}" % (j(k0), j("dup"), ", ".join("%s: %s" % (j(k), j(v)) for k, v in first.items()))
    c.add("layout", '{"instances": [%s]}' % dup2)


CTYPES = ["application/json; charset=utf-8; format=pandas-split", "application/json;charset=UTF8", " application/json",
          "application/json ", "Application/Json; Charset=UTF-8", "application/json; charset=ascii", "application/json; charset=utf-16",
          "application/json;", "application/json; foo", "application/problem+json", "application/x-ndjson", "application/json, text/csv",
          "text/csv; charset=ISO-8859-1", "text/csv;header=absent", "TEXT/csv ; charset=utf-8", "text/csv;", "text/x-csv", "text/tab-separated-values"]


def ctype_cases(c, df):
    js = wrap("dataframe_split", df.to_json(orient="split", index=False))
    cs = df.to_csv(index=False)
    for ct in CTYPES:
        c.add("ctype", cs if "csv" in ct.lower() or "tab" in ct else js, ct)


def csv_cases(c, df):
    adds = [
        df.to_csv(), df.to_csv(index=False), df.to_csv(index=False, quoting=csv.QUOTE_ALL), df.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC),
        df.to_csv(index=False, lineterminator="\r\n"), df.to_csv(index=False, sep=";"), df.to_csv(index=False, sep=";", decimal=","),
        df.to_csv(index=False, header=False), df.to_csv(index=False, float_format="%.3e"), df.to_csv(index=False, float_format="%.2f"),
        df.to_csv(index_label="id"), df.to_csv(index=False, sep="\t"), df.rename_axis("row").to_csv(),
    ]
    for t in adds:
        c.add("csv", t, "text/csv")
    with_na = df.copy().astype(object)
    with_na.iloc[0, len(df.columns) - 1] = None
    c.add("csv", with_na.to_csv(index=False, na_rep="NULL"), "text/csv")
    c.add("csv", with_na.to_csv(index=False), "text/csv")
    c.add("csv", with_na.to_csv(index=False, na_rep="-"), "text/csv")
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    c.add("csv", buf.getvalue().encode("utf-8-sig"), "text/csv")
    c.add("csv", df.head(1).to_csv(index=False) + df.tail(1).to_csv(index=False), "text/csv")
    c.add("csv", df.to_csv(index=False).replace(",", ", "), "text/csv")
    c.add("csv", df.to_csv(index=False) + "\n" + ",".join([""] * len(df.columns)) + "\n", "text/csv")


def nested_cases(c, df):
    vals = df.values.tolist()
    for key in ["instances", "inputs"]:
        c.add("nested", json.dumps({key: vals}, default=str))
        c.add("nested", json.dumps({key: vals[0]}, default=str))
        c.add("nested", json.dumps({key: [vals]}, default=str))
        c.add("nested", json.dumps({key: [[v] for v in vals[0]]}, default=str))
        c.add("nested", json.dumps({key: {k: [[x] for x in v] for k, v in df.to_dict(orient="list").items()}}, default=str))
    c.add("nested", json.dumps({"dataframe_split": {"data": vals}}, default=str))
    c.add("nested", json.dumps({"dataframe_split": {"columns": list(df.columns), "data": [vals[0]]}}, default=str))
    c.add("nested", json.dumps({"dataframe_split": {"columns": list(df.columns), "data": vals[0]}}, default=str))
    c.add("nested", json.dumps({"dataframe_records": vals}, default=str))


PARAM_VALUES = ["3", "-1", "0.5", "5e-1", "2.0", "1e0", '"3"', '"fast"', '""', "true", "false", "null", "[1, 2]", "[1.0]", '["1"]', "[[1]]", "[]", "{}", '{"a": 1}']


def params_cases(c, cols, rows, with_schema):
    base = '{"dataframe_split": {"columns": %s, "data": %s}' % (j(cols), j(rows))
    names = ["k", "temperature", "mode", "verbose", "ids"] if with_schema else ["k", "mode"]
    values = PARAM_VALUES if with_schema else PARAM_VALUES[::3]
    n = 0
    for name in names:
        for v in values:
            if n % 3 == 2:
                c.add("params", '{"params": {"%s": %s}, "inputs": %s}' % (name, v, j([dict(zip(cols, r)) for r in rows])))
            else:
                c.add("params", base + ', "params": {"%s": %s}}' % (name, v))
            n += 1
    c.add("params", '{"dataframe_split": {"columns": %s, "data": %s, "params": {"k": 2}}}' % (j(cols), j(rows)))
    c.add("params", '{"inputs": {"params": {"k": 2}, %s}}' % ", ".join("%s: %s" % (j(k), j([r[i] for r in rows])) for i, k in enumerate(cols)))
    c.add("params", base + ', "params": {"k": 1e0, "temperature": 1, "mode": "slow", "verbose": 0, "ids": [1e0, 2]}}')
    c.add("params", base + ', "params": {"k": 7, "temperature": 1e-3, "mode": "\\u00e9t\\u00e9", "verbose": true, "ids": []}}')
    c.add("params", base + ', "params": {"K": 2, "Temperature": 0.1}}')
    c.add("params", base + ', "params": {"k": 2}, "params": {"k": "x"}}')
    c.add("params", base + ', "params": "k=2"}')
    c.add("params", base + ', "parameters": {"k": 2}}')


def typed_df(n=2):
    return pd.DataFrame({
        "x": [0.25, 1.5, -3.0][:n],
        "when": pd.to_datetime(["2024-01-15 10:30:00", "2023-12-31", "2024-02-29 23:59:59.5"][:n]),
        "blob": [b"hello", b"\x00\xff", b""][:n],
        "n": np.array([3, 7, 0][:n], dtype=np.int64),
    })


def typed_cases(rng):
    """The typed model: dates and bytes as a user's pandas writes them, and in other spellings."""
    c = Cases("typed")
    df = typed_df()
    b64 = df.assign(blob=["aGVsbG8=", "AP8="])
    for orient in ["split", "records", "values", "columns", "index", "table"]:
        for key in KEYS:
            c.add("orient", wrap(key, b64.to_json(orient=orient)))
            c.add("orient", wrap(key, b64.to_json(orient=orient, date_format="iso")))
    c.add("orient", wrap("dataframe_split", b64.to_json(orient="split", date_format="iso", date_unit="ns")))
    c.add("orient", wrap("dataframe_split", b64.to_json(orient="split", date_unit="s")))
    c.add("orient", json.dumps({"dataframe_split": b64.to_dict(orient="split")}, default=str))
    c.add("orient", json.dumps({"dataframe_records": b64.to_dict(orient="records")}, default=str))
    c.add("orient", json.dumps({"inputs": b64.to_dict(orient="list")}, default=str))
    c.add("orient", wrap("dataframe_split", df.assign(blob=[b"hello", b"abc"]).to_json(orient="split")))
    rows = [[j(v) for v in r] for r in json.loads(b64.to_json(orient="values", date_format="iso"))]
    forms = ["split", "dataframe_records", "instances", "inputs", "inputs-cols"]
    for n, tok in enumerate(DATES):
        r = [list(x) for x in rows]
        r[n % 2][1] = tok
        c.add("dates", body_of(forms[n % len(forms)], TYPED, r))
    for n, tok in enumerate(BLOBS):
        r = [list(x) for x in rows]
        r[n % 2][2] = tok
        c.add("bytes", body_of(forms[(n + 2) % len(forms)], TYPED, r))
    for t in [b64.to_csv(index=False), b64.to_csv(), b64.to_csv(index=False, date_format="%Y-%m-%d"), b64[["x", "n"]].to_csv(index=False)]:
        c.add("csv", t, "text/csv")
    c.add("records", json.dumps({"dataframe_records": [{"x": 1.0, "n": 2}]}))
    c.add("records", json.dumps({"dataframe_records": [{"x": 1.0, "n": 2, "when": None, "blob": None}]}))
    c.add("records", json.dumps({"inputs": [{"x": 1.0, "n": 2, "when": "2024-01-15", "blob": "aGVsbG8="}, {"x": 2.0, "n": 3}]}))
    c.add("records", json.dumps({"instances": [{"x": 1.0, "n": 2, "when": "2024-01-15", "blob": "aGVsbG8="}, {"x": 2.0, "n": 3}]}))
    c.add("records", json.dumps({"inputs": {"x": [1.0], "n": [2], "when": ["2024-01-15"], "blob": ["aGVsbG8="]}}))
    c.add("records", json.dumps({"inputs": {"x": 1.0, "n": 2, "when": "2024-01-15", "blob": "aGVsbG8="}}))
    c.add("records", json.dumps({"instances": {"x": [1.0, 2.0], "n": [2, 3], "when": ["2024-01-15", "2024-01-16"], "blob": ["YQ==", "Yg=="]}}))
    c.add("records", json.dumps({"dataframe_split": {"columns": TYPED, "data": [[1.0, "2024-01-15", "YQ==", 2]] * 3, "index": ["a", "b", "c"]}}))
    c.add("records", json.dumps({"dataframe_split": {"columns": ["x", "n", "when", "blob"], "data": [[1.0, 2, "2024-01-15", "YQ=="]]}}))
    rng.shuffle(c.items)
    return c.items


def user_cases(model, df):
    c = Cases(model)
    split_text = df.to_json(orient="split", index=False)
    c.add("user", json.dumps(json.dumps({"dataframe_split": json.loads(split_text)})))
    c.add("user", json.dumps({"dataframe_split": split_text}))
    c.add("user", json.dumps({"dataframe_records": df.to_json(orient="records")}))
    c.add("user", json.dumps({"inputs": df.to_json(orient="values")}))
    c.add("user", df.to_json(orient="records", lines=True))
    c.add("user", df.to_json(orient="records", lines=True), "application/x-ndjson")
    c.add("user", "\n".join(json.dumps({"dataframe_records": [r]}) for r in json.loads(df.to_json(orient="records"))))
    gaps = df.copy()
    gaps.iloc[0, 0] = np.nan
    c.add("user", json.dumps({"dataframe_records": gaps.to_dict(orient="records")}, default=str))
    c.add("user", json.dumps({"dataframe_split": gaps.to_dict(orient="split")}, default=str))
    c.add("user", wrap("dataframe_split", gaps.to_json(orient="split")))
    inf = df.copy()
    inf.iloc[1, 0] = np.inf
    c.add("user", json.dumps({"inputs": inf.to_dict(orient="list")}, default=str))
    c.add("user", wrap("dataframe_split", inf.to_json(orient="split")))
    for n in [70, 120]:
        big = pd.concat([df] * (n // len(df)), ignore_index=True)
        c.add("user", wrap("dataframe_split", big.drop(columns=[df.columns[0]]).to_json(orient="split")))
        c.add("user", wrap("dataframe_records", big.drop(columns=[df.columns[-1]]).to_json(orient="records")))
    c.add("user", wrap("dataframe_split", df.rename_axis("row_id").to_json(orient="split")))
    c.add("user", wrap("dataframe_split", df.rename_axis(columns="features").to_json(orient="table")))
    cat = df.copy()
    cat[df.columns[0]] = cat[df.columns[0]].astype("category")
    c.add("user", wrap("dataframe_split", cat.to_json(orient="split")))
    c.add("user", wrap("dataframe_split", cat.to_json(orient="table")))
    nullable = df.copy()
    for col in nullable.columns:
        if nullable[col].dtype.kind in "iu":
            nullable[col] = nullable[col].astype("Int64")
            nullable.loc[0, col] = pd.NA
    c.add("user", wrap("dataframe_split", nullable.to_json(orient="split")))
    c.add("user", json.dumps({"dataframe_records": [{k: (int(v) if isinstance(v, (bool, np.bool_)) else v) for k, v in r.items()} for r in json.loads(df.to_json(orient="records"))]}))
    c.add("user", repr({"dataframe_split": json.loads(split_text)}))
    c.add("user", str(df.to_dict(orient="list")))
    c.add("user", json.dumps({"dataframe_split": json.loads(split_text)}, ensure_ascii=False).encode("utf-8").decode("utf-8").replace('"data"', '"data" ', 1))
    c.add("user", json.dumps({"dataframe_split": json.loads(split_text), "params": None}))
    c.add("user", json.dumps({"dataframe_split": {**json.loads(split_text), "dtype": {k: str(v) for k, v in df.dtypes.items()}}}))
    return c.items


def optional_cases():
    c = Cases("optional")
    full = pd.DataFrame({"x": [0.5, 2.0], "n": [1, 2], "tag": ["a", "b"]})
    for cols in [["x"], ["x", "n"], ["x", "tag"], ["n", "tag"], ["x", "n", "tag"], ["tag", "x"]]:
        df = full[cols]
        c.add("optional", wrap("dataframe_split", df.to_json(orient="split", index=False)))
        c.add("optional", wrap("dataframe_records", df.to_json(orient="records")))
        c.add("optional", json.dumps({"inputs": df.to_dict(orient="list")}))
        c.add("optional", json.dumps({"instances": json.loads(df.to_json(orient="records"))}))
        c.add("optional", df.to_csv(index=False), "text/csv")
    c.add("optional", json.dumps({"dataframe_records": [{"x": 0.5, "n": 1}, {"x": 2.0}]}))
    c.add("optional", json.dumps({"instances": [{"x": 0.5, "n": 1}, {"x": 2.0}]}))
    c.add("optional", json.dumps({"inputs": [{"x": 0.5, "tag": "a"}, {"x": 2.0, "n": 2}]}))
    c.add("optional", json.dumps({"dataframe_records": [{"x": 0.5, "n": None, "tag": None}, {"x": 2.0, "n": 2, "tag": "b"}]}))
    c.add("optional", json.dumps({"inputs": {"x": [0.5, 2.0], "n": [None, 2]}}))
    c.add("optional", json.dumps({"inputs": {"x": [0.5, 2.0], "n": [1.5, 2]}}))
    c.add("optional", json.dumps({"dataframe_split": {"columns": ["x", "n"], "data": [[0.5, "1"], [2.0, 2]]}}))
    c.add("optional", json.dumps({"dataframe_split": {"columns": ["x", "extra"], "data": [[0.5, 1], [2.0, 2]]}}))
    c.add("optional", json.dumps({"dataframe_split": {"columns": ["n", "extra"], "data": [[1, 1], [2, 2]]}}))
    c.add("optional", json.dumps({"inputs": {"x": 0.5}}))
    c.add("optional", json.dumps({"inputs": {"x": 0.5, "tag": 1}}))
    c.add("optional", json.dumps({"dataframe_records": [{"x": 0.5, "tag": 7}]}))
    c.add("optional", json.dumps({"inputs": [[0.5, 1, "a"]]}))
    c.add("optional", json.dumps({"dataframe_split": {"data": [[0.5]]}}))
    c.add("optional", "x\n0.5\n\n", "text/csv")
    return c.items


def tensors_cases():
    c = Cases("tensors")
    a = np.array([[1.5, 2.0], [0.25, -3.0]])
    b = np.array([3, 7])
    A, B = a.tolist(), b.tolist()
    for key in ["inputs", "instances"]:
        c.add("tensors", json.dumps({key: {"a": A, "b": B}}))
        c.add("tensors", json.dumps({key: [{"a": ra, "b": rb} for ra, rb in zip(A, B)]}))
        c.add("tensors", json.dumps({key: {"a": A[0], "b": B[0]}}))
        c.add("tensors", json.dumps({key: {"a": [A], "b": [B]}}))
        c.add("tensors", json.dumps({key: {"a": A, "b": B[:1]}}))
        c.add("tensors", json.dumps({key: {"a": A}}))
        c.add("tensors", json.dumps({key: {"a": A, "b": B, "c": [1, 2]}}))
        c.add("tensors", json.dumps({key: {"a": a.astype(np.float32).tolist(), "b": [3.0, 7.0]}}))
        c.add("tensors", json.dumps({key: {"a": [[1, 2], [3, 4]], "b": [3.5, 7]}}))
        c.add("tensors", json.dumps({key: {"a": [["1.5", "2"], ["0.25", "-3"]], "b": ["3", "7"]}}))
        c.add("tensors", json.dumps({key: {"a": [[1.5, None], [0.25, -3.0]], "b": B}}))
        c.add("tensors", json.dumps({key: {"a": [[1.5, 2.0, 9.0], [0.25, -3.0, 9.0]], "b": B}}))
        c.add("tensors", json.dumps({key: {"a": [[1.5, 2.0], [0.25]], "b": B}}))
        c.add("tensors", json.dumps({key: {"a": A, "b": [True, False]}}))
        c.add("tensors", json.dumps({key: {"a": A, "b": [2 ** 63, 1]}}))
        c.add("tensors", json.dumps({key: {"a": [[1.5, 2.0]], "b": 3}}))
        c.add("tensors", json.dumps({key: [A, B]}))
        c.add("tensors", json.dumps({key: A}))
        c.add("tensors", json.dumps({key: {"A": A, "B": B}}))
        c.add("tensors", json.dumps({key: [{"a": A[0], "b": B[0]}, {"a": A[1]}]}))
    c.add("tensors", json.dumps({"inputs": {"a": A, "b": B}, "params": {"x": 1}}))
    c.add("tensors", json.dumps({"dataframe_split": {"columns": ["a", "b"], "data": [[ra, rb] for ra, rb in zip(A, B)]}}))
    c.add("tensors", json.dumps({"dataframe_records": [{"a": ra, "b": rb} for ra, rb in zip(A, B)]}))
    c.add("tensors", json.dumps({"dataframe_split": {"columns": ["a", "b"], "data": [[1.5, 3], [0.25, 7]]}}))
    c.add("tensors", "a,b\n1.5,3\n0.25,7\n", "text/csv")
    c.add("tensors", json.dumps({"inputs": {"a": np.zeros((2, 2, 1)).tolist(), "b": B}}))
    c.add("tensors", json.dumps({"inputs": {"a": [], "b": []}}))
    c.add("tensors", json.dumps({"instances": []}))
    return c.items


def generate():
    rng = random.Random(SEED)
    out = {}

    reg = reg_df()
    reg_rows = [[repr(v) for v in r] for r in reg.values.tolist()]
    c = Cases("regression")
    orient_cases(c, reg)
    records_cases(c, reg, rng)
    number_cases(c, REG, reg_rows, ["bmi"], ["split", "dataframe_records", "instances", "inputs-cols"])
    string_cases(c, REG, reg_rows, ["age"], ["split", "dataframe_records", "inputs", "instances"])
    unicode_names(c, reg)
    layout_cases(c, reg)
    ctype_cases(c, reg)
    csv_cases(c, reg)
    nested_cases(c, reg)
    out["regression"] = c.items

    mixed = mixed_df()
    mixed_rows = [[j(v) for v in r] for r in json.loads(mixed.to_json(orient="values"))]
    c = Cases("mixed")
    orient_cases(c, mixed)
    records_cases(c, mixed, rng)
    number_cases(c, MIXED, mixed_rows, ["n_long", "n_int", "score", "flag"], ["split", "dataframe_records", "instances", "inputs-cols", "inputs"])
    string_cases(c, MIXED, mixed_rows, ["n_int", "city", "flag", "amount"], ["split", "dataframe_records", "inputs", "instances", "inputs-cols"])
    unicode_names(c, mixed)
    layout_cases(c, mixed)
    csv_cases(c, mixed)
    tricky = mixed_df(3)
    tricky["city"] = ['S\u00e3o Paulo, BR', 'say "hi"', "two\nlines"]
    c.add("csv", tricky.to_csv(index=False), "text/csv")
    c.add("csv", tricky.to_csv(index=False, quoting=csv.QUOTE_NONE, escapechar="\\"), "text/csv")
    c.add("strings", wrap("dataframe_split", tricky.to_json(orient="split", index=False)))
    nested_cases(c, mixed)
    out["mixed"] = c.items

    c = Cases("mixed-proba")
    three = mixed_df(3)
    for orient, key in [("split", "dataframe_split"), ("records", "dataframe_records"), ("records", "inputs"), ("columns", "inputs"), ("values", "instances")]:
        c.add("orient", wrap(key, three.to_json(orient=orient)))
    c.add("csv", three.to_csv(), "text/csv")
    c.add("csv", three.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC), "text/csv")
    number_cases(c, MIXED, [[j(v) for v in r] for r in json.loads(three.to_json(orient="values"))], ["amount"], ["split", "inputs"])
    out["mixed-proba"] = c.items

    c = Cases("nosig")
    orient_cases(c, reg)
    unicode_names(c, reg)
    c.add("strings", json.dumps({"dataframe_split": {"columns": REG, "data": [["0.03", "0.06", "0.02"]]}}))
    c.add("strings", json.dumps({"inputs": {"age": ["0.03"], "bmi": [0.06], "bp": [True]}}))
    c.add("strings", json.dumps({"dataframe_records": [{"age": "1e-2", "bmi": 0.06, "bp": 0.02}]}))
    c.add("csv", reg.to_csv(), "text/csv")
    c.add("csv", reg.to_csv(index=False, quoting=csv.QUOTE_ALL), "text/csv")
    c.add("csv", reg[["bp", "age", "bmi"]].to_csv(index=False), "text/csv")
    params_cases(c, REG, reg.values.tolist()[:1], False)
    out["nosig"] = c.items

    c = Cases("params")
    params_cases(c, REG, reg.values.tolist(), True)
    c.add("params", reg.to_csv(index=False), "text/csv; charset=utf-8")
    out["params"] = c.items

    c = Cases("tensor")
    iris = iris_df()
    for orient in ["split", "records", "values", "columns"]:
        for key in KEYS:
            c.add("orient", wrap(key, iris.to_json(orient=orient)))
    c.add("orient", json.dumps({"inputs": iris.values.astype(np.float32).tolist()}))
    c.add("orient", json.dumps({"inputs": iris.values.astype(np.int64).tolist()}))
    c.add("orient", json.dumps({"instances": iris.values.tolist()[0]}))
    c.add("orient", json.dumps({"inputs": [iris.values.tolist()]}))
    c.add("orient", json.dumps({"inputs": {"input": iris.values.tolist()}}))
    c.add("orient", json.dumps({"instances": [{"input": r} for r in iris.values.tolist()]}))
    c.add("csv", iris.to_csv(index=False), "text/csv")
    tens_rows = [[repr(v) for v in r] for r in iris.values.tolist()]
    for n, tok in enumerate(NUMBER_SPELLINGS + ['"5.1"', "true", "null"]):
        rows = [list(r) for r in tens_rows]
        rows[0][n % 4] = tok
        c.add("numbers", '{"%s": [%s]}' % (["inputs", "instances"][n % 2], ", ".join("[%s]" % ", ".join(r) for r in rows)))
    for ct in CTYPES[:8]:
        c.add("ctype", json.dumps({"inputs": iris.values.tolist()}), ct)
    out["tensor"] = c.items
    out["typed"] = typed_cases(random.Random(SEED + 1))

    # A moderate suite (docs/fidelity.md §7): a seeded sample of each model's cases, in generation order.
    for name, items in out.items():
        keep = sorted(rng.sample(range(len(items)), min(CAP[name], len(items))))
        out[name] = [items[i] for i in keep]
    # The third round, appended whole (the samples above stay what was recorded and measured first).
    for name, df in [("regression", reg_df()), ("mixed", mixed_df()), ("nosig", reg_df()), ("typed", typed_df().assign(blob=["aGVsbG8=", "AP8="]))]:
        out[name] = out[name] + user_cases(name, df)
    out["tensors"] = tensors_cases()
    out["optional"] = optional_cases()
    return out


if __name__ == "__main__":
    print_summary(generate())
