"""Generates the THIRD FRESH requests of the recorded differential suite (see record.py --suite fresh3).

Written after the second fresh suite was at 99.7 %, to take docs/fidelity.md §4's freshness measure a third time,
with request kinds no earlier generator (generate*.py) has:
  pyclient  bodies as Python's `requests.post(json=…)` / `json.dumps(…, default=…)` write them from a frame's numpy
            scalars: `default=str` (numbers become strings), `default=float`, `default=int`, `.item()`, a NumpyEncoder
            that writes arrays as lists; `to_dict("split"/"records"/"list"/"index"/"dict")` with `index=False`-less
            output, float32 / int64 / bool_ scalars, pd.Timestamp via default=str, NaN through `json.dumps` (bare NaN)
  rclient   R's httr (`encode = "json"`) / jsonlite `toJSON(auto_unbox = TRUE)`: one-row data frames whose columns
            unbox to scalars under `inputs` / `instances`, `dataframe = "columns"` / `"values"`, `digits = NA` (15
            significant digits), `na = "null"` / `"string"`, a data frame under `dataframe_split.data` (records), factors
  nanplace  a missing value (bare NaN, null, pandas' to_json null, CSV empty / `nan` / `NaN` / `None` / `null` /
            `<NA>` / `N/A`) in every column of every model, on every path (split, records, instances, columnar inputs,
            instances lists, CSV), first row and last row, and every column missing at once
  bounds    int32 / int64 / uint64 / float32 / float64 / 2**53 boundaries written in every JSON spelling
            (`2147483647`, `2147483647.0`, `2.147483647e9`, `2147483647E0`, `21474836.47e+2`, `-0`, `0.0e0`, `1e0`,
            `1E+2`) in every numeric column (long, integer, float, double, boolean), params, tensors
  csv3      CSV dialect quirks pandas' C parser meets: quoted newlines (LF and CRLF), `\\r\\n` bodies, a trailing
            delimiter on the header only / data only, `#` lines and `#` in fields, whitespace around (quoted) fields,
            escaped quotes, duplicate header names (mangled `.1`), a header only, fewer / more fields than the header,
            an unnamed index column, a quoted header, `\\t` inside fields, a lone `\\r`, NUL bytes
  ctype3    content types with parameters in every spelling: quoted charset, upper-case, spaces before `;`, several
            parameters, `charset=utf-16` with a UTF-16 body, a `q=` parameter, two types comma-joined, trailing `;`
  wide      very wide / long values: 2 000 extra columns, a 10 000-character column name, a 200 000-character string,
            a 5 000-element list in one cell, 20 000 rows as records, numbers with 400 digits
  pdates    (typed model) datetime columns as pandas writes them from datetime64 / tz-aware / period data:
            `date_unit` s/ms/us/ns, `date_format="iso"`, to_dict + default=str (`2024-01-15 10:30:00+00:00`), NaT,
            `orient="table"` with a tz-aware column, `to_csv(date_format=…)`, epoch seconds as floats
Uses the nine models of make-fidelity-models.py. Deterministic (seed 20261212); ids <model>/<class>/<n>.
"""

import json
import random

import numpy as np
import pandas as pd

from generate import Cases, j, print_summary

SEED = 20261212
REG = ["age", "bmi", "bp"]
MIXED = ["n_long", "n_int", "city", "score", "flag", "amount"]
MIXED_TYPES = ["long", "integer", "string", "float", "boolean", "double"]
TYPED = ["x", "when", "blob", "n"]
IRIS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
CAP = {"regression": 120, "mixed": 190, "mixed-proba": 25, "nosig": 60, "params": 60, "tensor": 50, "typed": 60, "tensors": 25, "optional": 30}


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
    return pd.DataFrame([[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]][:n], columns=IRIS)


def typed_df(n=2):
    return pd.DataFrame({
        "x": [0.25, 1.5, -3.0][:n],
        "when": pd.to_datetime(["2024-01-15 10:30:00", "2023-12-31", "2024-02-29 23:59:59.5"][:n]),
        "blob": ["aGVsbG8=", "AP8=", ""][:n],
        "n": np.array([3, 7, 0][:n], dtype=np.int64),
    })


def wrap(key, text):
    return '{"%s": %s}' % (key, text)


class NumpyEncoder(json.JSONEncoder):
    """What MLflow's own `NumpyEncoder` (and many users' copies of it) write: numpy scalars via .item(), arrays as lists."""

    def default(self, o):
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, (pd.Timestamp,)):
            return o.isoformat()
        return json.JSONEncoder.default(self, o)


def numpy_records(df):
    """Rows of numpy scalars, as `df.iloc[i]` / `itertuples` hand them (not the Python scalars to_dict boxes)."""
    return [{k: df[k].to_numpy()[i] for k in df.columns} for i in range(len(df))]


# ---- pyclient ---------------------------------------------------------------------------------------------------

def pyclient_cases(c, df):
    cols = list(df.columns)
    recs = numpy_records(df)
    colsd = {k: list(df[k].to_numpy()) for k in cols}  # lists of numpy scalars
    for name, dumps in [
        ("str", lambda o: json.dumps(o, default=str)),
        ("float", lambda o: json.dumps(o, default=float)),
        ("item", lambda o: json.dumps(o, default=lambda x: x.item())),
        ("enc", lambda o: json.dumps(o, cls=NumpyEncoder)),
        ("repr", lambda o: json.dumps(o, default=repr)),
    ]:
        for body in [{"dataframe_records": recs}, {"inputs": colsd}, {"instances": recs},
                     {"dataframe_split": {"columns": cols, "data": [[r[k] for k in cols] for r in recs]}}]:
            try:
                c.add("pyclient", dumps(body))
            except (TypeError, ValueError, AttributeError):
                pass
    # default=int: a float32 / float64 scalar raises in json? no: only non-serialisable numpy types reach default.
    try:
        c.add("pyclient", json.dumps({"dataframe_records": recs}, default=int))
    except (TypeError, ValueError):
        pass
    c.add("pyclient", json.dumps({"dataframe_split": df.to_dict(orient="split")}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"dataframe_split": df.to_dict(orient="split")}, default=str))
    c.add("pyclient", json.dumps({"dataframe_records": df.to_dict(orient="records")}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"inputs": df.to_dict(orient="list")}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"inputs": df.to_dict(orient="dict")}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"dataframe_records": df.to_dict(orient="index")}, cls=NumpyEncoder).replace('"0"', '"r0"'))
    c.add("pyclient", json.dumps({"inputs": df.to_numpy().tolist()}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"instances": df.to_numpy()}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"inputs": {k: df[k].to_numpy() for k in cols}}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"dataframe_split": {"columns": np.array(cols), "data": df.to_numpy()}}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"dataframe_split": {"columns": cols, "data": df.to_numpy()}}, default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o)))
    # A gap in each numeric column, as json.dumps writes float('nan') and requests.post(json=) sends it (allow_nan default).
    g = df.copy()
    for k in cols:
        if g[k].dtype.kind == "f":
            g.loc[0, k] = np.nan
    c.add("pyclient", json.dumps({"dataframe_records": g.to_dict(orient="records")}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"dataframe_split": g.to_dict(orient="split")}, cls=NumpyEncoder))
    c.add("pyclient", json.dumps({"dataframe_records": [{k: None if (isinstance(v, float) and v != v) else v for k, v in r.items()}
                                                        for r in g.to_dict(orient="records")]}, cls=NumpyEncoder))


# ---- rclient ----------------------------------------------------------------------------------------------------

def r_num(v):
    """jsonlite's number: digits = 4 by default (signif-like rounding to 4 decimals), NA -> null."""
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return round(v, 4)
    return v


def r15(v):
    """jsonlite digits = NA: 15 significant digits (formatC %.15g)."""
    if isinstance(v, float) and not isinstance(v, bool):
        return float("%.15g" % v)
    return v


def rclient_cases(c, cols, rows):
    one = rows[0]
    # httr::POST(body = list(inputs = df[1, ]), encode = "json"): a one-row data.frame serialises as records by
    # default, but a list of length-1 vectors (as.list(df[1, ])) unboxes to scalars.
    c.add("rclient", json.dumps({"inputs": {k: r_num(v) for k, v in zip(cols, one)}}, separators=(",", ":")))
    c.add("rclient", json.dumps({"instances": {k: r_num(v) for k, v in zip(cols, one)}}, separators=(",", ":")))
    c.add("rclient", json.dumps({"dataframe_records": {k: r_num(v) for k, v in zip(cols, one)}}, separators=(",", ":")))
    c.add("rclient", json.dumps({"dataframe_split": {"columns": cols, "data": [r_num(v) for v in one]}}, separators=(",", ":")))
    c.add("rclient", json.dumps({"dataframe_split": {"columns": cols, "data": [dict(zip(cols, map(r_num, r))) for r in rows]}},
                                separators=(",", ":")))
    c.add("rclient", json.dumps({"dataframe_split": {"columns": cols, "data": [dict(zip(cols, map(r_num, r))) for r in rows]}, "params": {}},
                                separators=(",", ":")))
    # dataframe = "columns" / "values", digits = NA
    c.add("rclient", json.dumps({"inputs": {k: [r15(r[i]) for r in rows] for i, k in enumerate(cols)}}, separators=(",", ":")))
    c.add("rclient", json.dumps({"instances": [[r15(v) for v in r] for r in rows]}, separators=(",", ":")))
    c.add("rclient", json.dumps({"dataframe_records": [dict(zip(cols, map(r15, r))) for r in rows]}, separators=(",", ":")))
    c.add("rclient", json.dumps({"dataframe_split": {"columns": cols, "data": [[r15(v) for v in r] for r in rows]}}, separators=(",", ":")))
    # a one-column matrix / a single column unboxed
    c.add("rclient", json.dumps({"dataframe_split": {"columns": cols[0], "data": [[r_num(r[0])] for r in rows]}}, separators=(",", ":")))
    c.add("rclient", json.dumps({"dataframe_split": {"columns": cols, "data": [[r_num(v) for v in r] for r in rows], "index": 1}},
                                separators=(",", ":")))
    # na = "string": "NA" / "NaN" / "Inf" for numbers; default na = "null" in values, dropped field in records
    for tok in ["NA", "NaN", "Inf", "-Inf"]:
        for i, v in enumerate(one):
            if isinstance(v, float) and not isinstance(v, bool):
                r = [r_num(x) for x in one]
                r[i] = tok
                c.add("rclient", json.dumps({"dataframe_split": {"columns": cols, "data": [r]}}, separators=(",", ":")))
                c.add("rclient", json.dumps({"inputs": dict(zip(cols, r))}, separators=(",", ":")))
                break
    for i in range(len(cols)):
        r = [r_num(x) for x in one]
        r[i] = None
        c.add("rclient", json.dumps({"dataframe_split": {"columns": cols, "data": [r, [r_num(x) for x in rows[-1]]]}}, separators=(",", ":")))
        rec = dict(zip(cols, r))
        del rec[cols[i]]
        c.add("rclient", json.dumps({"dataframe_records": [rec, dict(zip(cols, map(r_num, rows[-1])))]}, separators=(",", ":")))


# ---- nanplace -----------------------------------------------------------------------------------------------------

MISSING_JSON = ["NaN", "null", "-NaN", '"NaN"', '"nan"', '""', '"null"', '"None"']
MISSING_CSV = ["", "nan", "NaN", "None", "null", "<NA>", "N/A", "NA", "-nan", "NULL", '""', "n/a"]


def body_of(form, cols, rows):
    """rows hold JSON texts."""
    if form == "split":
        return '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), ", ".join("[%s]" % ", ".join(r) for r in rows))
    if form in ("dataframe_records", "instances", "inputs"):
        return '{"%s": [%s]}' % (form, ", ".join("{%s}" % ", ".join("%s: %s" % (j(k), v) for k, v in zip(cols, r)) for r in rows))
    if form == "inputs-cols":
        return '{"inputs": {%s}}' % ", ".join("%s: [%s]" % (j(k), ", ".join(r[i] for r in rows)) for i, k in enumerate(cols))
    if form == "instances-lists":
        return '{"instances": [%s]}' % ", ".join("[%s]" % ", ".join(r) for r in rows)
    raise ValueError(form)


def nanplace_cases(c, cols, rows, rng, count):
    forms = ["split", "dataframe_records", "instances", "inputs-cols", "inputs", "instances-lists"]
    picks = [(ci, tok, form, last) for ci in range(len(cols)) for tok in MISSING_JSON for form in forms for last in (0, 1)]
    for ci, tok, form, last in sorted(rng.sample(picks, min(count, len(picks)))):
        r = [[j(v) for v in row] for row in rows]
        r[-1 if last else 0][ci] = tok
        c.add("nanplace", body_of(form, cols, r))
    csv_picks = [(ci, tok, last) for ci in range(len(cols)) for tok in MISSING_CSV for last in (0, 1)]
    for ci, tok, last in sorted(rng.sample(csv_picks, min(count // 2, len(csv_picks)))):
        r = [[("true" if v is True else "false" if v is False else str(v)) for v in row] for row in rows]
        r[-1 if last else 0][ci] = tok
        c.add("nanplace", ",".join(cols) + "\n" + "\n".join(",".join(x) for x in r) + "\n", "text/csv")
    # every column missing at once, per form
    for form in forms:
        c.add("nanplace", body_of(form, cols, [["null"] * len(cols)] + [[j(v) for v in rows[-1]]]))
    c.add("nanplace", ",".join(cols) + "\n" + "," * (len(cols) - 1) + "\n", "text/csv")


# ---- bounds -------------------------------------------------------------------------------------------------------

def spellings(v):
    """One number written every way a JSON writer might: int, float, exponent forms (Python's json reads all)."""
    out = []
    if isinstance(v, int):
        s = str(v)
        out += [s, s + ".0", s + "E0", s + "e+0"]
        digits = s.lstrip("-")
        sign = "-" if s.startswith("-") else ""
        if len(digits) > 1:
            out.append("%s%s.%se%d" % (sign, digits[0], digits[1:], len(digits) - 1))
            out.append("%s%s.%sE+%d" % (sign, digits[0], digits[1:], len(digits) - 1))
    else:
        out += [repr(v), "%.9g" % v, "%.17e" % v, ("%.8E" % v).replace("E+", "E")]
    return out


INT_BOUNDS = [2 ** 31 - 1, 2 ** 31, -2 ** 31, -2 ** 31 - 1, 2 ** 63 - 1, -2 ** 63, 2 ** 53, 2 ** 53 + 1, 2 ** 24 + 1, 2 ** 32, 255, 256, -129]
FLOAT_BOUNDS = [3.4028234663852886e38, 3.4028235677973366e38, 3.5e38, 1.1754943508222875e-38, 1.401298464324817e-45, 7.006492321624085e-46,
                16777217.0, 0.1, 2.2250738585072014e-308]
SMALL = ["-0", "0.0e0", "-0.0", "1e0", "1E+2", "1E-2", "0e0", "-0E-0", "10e-1", "0.10e1", "1.0000000000000002", "0.30000000000000004"]


def bounds_cases(c, cols, rows, targets, forms, rng, count):
    toks = [t for v in INT_BOUNDS for t in spellings(v)] + [t for v in FLOAT_BOUNDS for t in spellings(v)] + SMALL
    picks = [(cols.index(t), tok) for t in targets for tok in toks]
    for n, (ci, tok) in enumerate(sorted(rng.sample(picks, min(count, len(picks))), key=lambda p: (p[0], toks.index(p[1])))):
        r = [[j(v) for v in row] for row in rows]
        r[n % len(r)][ci] = tok
        form = forms[n % len(forms)]
        if form == "csv":
            c.add("bounds", ",".join(cols) + "\n" + "\n".join(",".join(x.strip('"') for x in row) for row in r) + "\n", "text/csv")
        else:
            c.add("bounds", body_of(form, cols, r))


# ---- csv3 ---------------------------------------------------------------------------------------------------------

def csv3_cases(c, cols, rows, str_col=None):
    def f(v):
        return "true" if v is True else "false" if v is False else str(v)

    head = ",".join(cols)
    lines = [",".join(f(v) for v in r) for r in rows]
    add = lambda t: c.add("csv3", t, "text/csv")  # noqa: E731
    add("\r\n".join([head] + lines) + "\r\n")
    add(head + ",\n" + "\n".join(lines) + "\n")
    add(head + "\n" + "\n".join(x + "," for x in lines) + "\n")
    add(head + ",\n" + "\n".join(x + "," for x in lines) + "\n")
    add("# exported\n" + head + "\n" + "\n".join(lines) + "\n")
    add(head + "\n" + lines[0] + "\n# note\n" + "\n".join(lines[1:]) + "\n")
    add(head + "\n" + "\n".join(lines) + "\n#\n")
    add(", ".join(cols) + "\n" + "\n".join(", ".join(f(v) for v in r) for r in rows) + "\n")
    add(" " + head + " \n" + "\n".join(" " + x + " " for x in lines) + "\n")
    add(",".join('"%s"' % k for k in cols) + "\n" + "\n".join(lines) + "\n")
    add(",".join(' "%s" ' % k for k in cols) + "\n" + "\n".join(lines) + "\n")
    add(head + "\n" + "\n".join(",".join('"%s"' % f(v) for v in r) for r in rows) + "\n")
    add(head + "\n" + "\n".join(",".join(' "%s"' % f(v) for v in r) for r in rows) + "\n")
    add(",".join([cols[0]] + cols[:-1]) + "\n" + "\n".join(lines) + "\n")  # a duplicated header name, one column short
    add(",".join(cols + [cols[0]]) + "\n" + "\n".join(x + "," + f(r[0]) for x, r in zip(lines, rows)) + "\n")
    add(head + "\n")
    add(head)
    add(head + "\n" + ",".join(lines[0].split(",")[:-1]) + "\n" + "\n".join(lines[1:]) + "\n")
    add(head + "\n" + lines[0] + ",extra\n" + "\n".join(lines[1:]) + "\n")
    add("," + head + "\n" + "\n".join("%d,%s" % (i, x) for i, x in enumerate(lines)) + "\n")
    add("Unnamed: 0," + head + "\n" + "\n".join("%d,%s" % (i, x) for i, x in enumerate(lines)) + "\n")
    add("\n".join([head] + lines) + "\r")
    add("\n\n" + "\n".join([head] + lines) + "\n")
    add(head + "\n" + "\n".join(lines).replace(",", "\t,", 1) + "\n")
    add(head.replace(",", ",\t") + "\n" + "\n".join(lines) + "\n")
    add(head + "\n" + "\n".join(lines) + "\n\x00")
    add(head + "\n" + "\n".join(lines) + "\n" + "\n".join(lines) + "\n")
    add(head.upper() + "\n" + "\n".join(lines) + "\n")
    add(head + "\n" + "\n".join(lines).replace("\n", "\n\n") + "\n")
    add(head + "\n" + "\n".join(x.replace(",", ";") for x in lines) + "\n")
    add(head + "\n" + '"' + lines[0] + '"\n' + "\n".join(lines[1:]) + "\n")
    if str_col is not None:
        i = cols.index(str_col)
        for v in ['"new\nyork"', '"new\r\nyork"', '"say ""hi"""', '"a,b"', "a#b", "#paris", '"#paris"', "  paris  ", '" paris "', '"p""', "p'ar'is",
                  '""', "\\N", "'paris'", '"new\ryork"']:
            r = [[f(x) for x in row] for row in rows]
            r[0][i] = v
            add(head + "\n" + "\n".join(",".join(x) for x in r) + "\n")
    else:
        for v in ['"1\n5"', " 1.5 ", '" 1.5 "', "1.5#", "#1.5", '"1,5"', "1.5e+00", "+1.5", "1.5\t"]:
            r = [[f(x) for x in row] for row in rows]
            r[0][0] = v
            add(head + "\n" + "\n".join(",".join(x) for x in r) + "\n")


# ---- ctype3 -------------------------------------------------------------------------------------------------------

CTYPES3 = [
    ('application/json; charset="utf-8"', "json"), ("application/json;charset=UTF-8", "json"), ("application/json ;charset=utf-8", "json"),
    ("APPLICATION/JSON; CHARSET=UTF-8", "json"), ("Application/Json", "json"), ("application/json; charset=utf-8; format=pandas-split", "json"),
    ("application/json;", "json"), ("application/json; ", "json"), ("application/json; q=0.9", "json"), ("application/json, text/csv", "json"),
    ("application/json; charset=utf-16", "json16"), ("application/json; charset=utf-16", "json"), ("application/json; charset=ascii", "json"),
    ("application/json; boundary=x", "json"), ("application/json\t", "json"), (" application/json", "json"), ("application/json ", "json"),
    ('text/csv; charset="utf-8"', "csv"), ("text/csv;charset=UTF-8;header=present", "csv"), ("TEXT/CSV", "csv"), ("text/csv; charset=utf-16", "csv16"),
    ("text/csv; charset=utf-16", "csv"), ("text/csv;", "csv"), ("text/csv, application/json", "csv"), ("text/csv; q=1", "csv"),
    ("text/csv ; charset=utf-8", "csv"), ("text/csv; delimiter=;", "csv"), ("application/json", "csv"), ("text/csv", "json"),
]


def ctype3_cases(c, df):
    js = wrap("dataframe_split", df.to_json(orient="split", index=False))
    cs = df.to_csv(index=False)
    bodies = {"json": js.encode(), "json16": js.encode("utf-16"), "csv": cs.encode(), "csv16": cs.encode("utf-16")}
    for ct, b in CTYPES3:
        c.add("ctype3", bodies[b], ct)


# ---- wide ---------------------------------------------------------------------------------------------------------

def wide_cases(c, cols, df, str_col=None):
    rec = json.loads(df.to_json(orient="records"))
    wide = [dict(r, **{"c%04d" % k: k for k in range(2000)}) for r in rec[:1]]
    c.add("wide", json.dumps({"dataframe_split": {"columns": list(wide[0]), "data": [list(wide[0].values())]}}, separators=(",", ":")))
    c.add("wide", json.dumps({"instances": wide}, separators=(",", ":")))
    c.add("wide", json.dumps({"dataframe_records": [dict(rec[0], **{"n" * 10000: 1})]}))
    c.add("wide", json.dumps({"dataframe_split": {"columns": cols[:-1] + [cols[-1] * 3000], "data": [list(r.values()) for r in rec]}}))
    c.add("wide", json.dumps({"dataframe_records": rec * 2500}, separators=(",", ":")))
    c.add("wide", json.dumps({"dataframe_records": [dict(rec[0], **{cols[0]: list(range(5000))})]}, separators=(",", ":")))
    c.add("wide", '{"dataframe_split": {"columns": %s, "data": [[%s]]}}' % (j(cols), ", ".join(
        ("1" * 400) if i == 0 else j(v) for i, v in enumerate(rec[0].values()))))
    c.add("wide", '{"dataframe_split": {"columns": %s, "data": [[%s]]}}' % (j(cols), ", ".join(
        ("0." + "3" * 400) if i == 0 else j(v) for i, v in enumerate(rec[0].values()))))
    c.add("wide", '{"dataframe_split": {"columns": %s, "data": [[%s]]}}' % (j(cols), ", ".join(
        ("1" * 400 + ".5e-390") if i == 0 else j(v) for i, v in enumerate(rec[0].values()))))
    big = pd.concat([df] * 100, ignore_index=True)
    c.add("wide", big.to_csv(index=False).replace("\n", "\r\n"), "text/csv")
    if str_col is not None:
        long_rec = [dict(r) for r in rec]
        long_rec[0][str_col] = "paris " * 10000
        c.add("wide", json.dumps({"dataframe_records": long_rec}))
        long_rec[0][str_col] = "\U0001f600" * 20000
        c.add("wide", json.dumps({"inputs": long_rec}))
        t = df.copy()
        t[str_col] = ["x" * 50000] + list(t[str_col])[1:]
        c.add("wide", t.to_csv(index=False), "text/csv")


# ---- pdates (typed model) -----------------------------------------------------------------------------------------

def pdates_cases(c):
    df = typed_df()
    for unit in ["s", "ms", "us", "ns"]:
        c.add("pdates", wrap("dataframe_split", df.to_json(orient="split", date_unit=unit)))
        c.add("pdates", wrap("dataframe_records", df.to_json(orient="records", date_format="iso", date_unit=unit)))
    c.add("pdates", wrap("inputs", df.to_json(orient="columns", date_format="iso")))
    c.add("pdates", wrap("dataframe_split", df.to_json(orient="table", date_format="iso")))
    tz = df.assign(when=df["when"].dt.tz_localize("UTC"))
    c.add("pdates", wrap("dataframe_split", tz.to_json(orient="split", date_format="iso")))
    c.add("pdates", wrap("dataframe_records", tz.to_json(orient="records", date_format="iso")))
    c.add("pdates", wrap("dataframe_records", tz.to_json(orient="records")))
    c.add("pdates", json.dumps({"dataframe_records": tz.to_dict(orient="records")}, default=str))
    c.add("pdates", json.dumps({"dataframe_records": df.to_dict(orient="records")}, default=str))
    c.add("pdates", json.dumps({"dataframe_split": df.to_dict(orient="split")}, cls=NumpyEncoder))
    c.add("pdates", json.dumps({"inputs": df.to_dict(orient="list")}, default=str))
    c.add("pdates", json.dumps({"dataframe_records": df.to_dict(orient="records")}, default=lambda o: o.isoformat()))
    c.add("pdates", json.dumps({"dataframe_records": tz.to_dict(orient="records")}, default=lambda o: o.isoformat()))
    c.add("pdates", json.dumps({"dataframe_records": df.to_dict(orient="records")}, default=lambda o: o.timestamp()))
    c.add("pdates", json.dumps({"dataframe_records": df.to_dict(orient="records")}, default=lambda o: int(o.timestamp())))
    c.add("pdates", json.dumps({"dataframe_records": df.to_dict(orient="records")}, default=lambda o: o.strftime("%Y-%m-%d")))
    c.add("pdates", json.dumps({"dataframe_records": df.to_dict(orient="records")}, default=lambda o: o.strftime("%d.%m.%Y %H:%M")))
    c.add("pdates", json.dumps({"dataframe_records": df.to_dict(orient="records")}, default=lambda o: o.strftime("%Y%m%dT%H%M%S")))
    nat = df.copy()
    nat.loc[0, "when"] = pd.NaT
    c.add("pdates", wrap("dataframe_split", nat.to_json(orient="split")))
    c.add("pdates", wrap("dataframe_split", nat.to_json(orient="split", date_format="iso")))
    c.add("pdates", json.dumps({"dataframe_records": nat.to_dict(orient="records")}, default=str))
    c.add("pdates", nat.to_csv(index=False), "text/csv")
    c.add("pdates", df.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S.%f"), "text/csv")
    c.add("pdates", df.to_csv(index=False, date_format="%s"), "text/csv")
    c.add("pdates", tz.to_csv(index=False), "text/csv")
    c.add("pdates", df.assign(when=df["when"].dt.date).to_csv(index=False), "text/csv")
    c.add("pdates", json.dumps({"dataframe_records": df.assign(when=df["when"].dt.date).to_dict(orient="records")}, default=str))
    c.add("pdates", json.dumps({"dataframe_records": df.assign(when=df["when"].dt.to_period("D")).to_dict(orient="records")}, default=str))
    c.add("pdates", json.dumps({"dataframe_records": df.assign(when=df["when"].dt.to_period("M")).to_dict(orient="records")}, default=str))
    c.add("pdates", wrap("dataframe_split", df.assign(when=df["when"].astype("int64") // 10 ** 9).to_json(orient="split")))
    c.add("pdates", wrap("dataframe_split", df.assign(when=df["when"].astype("int64") / 10 ** 9).to_json(orient="split")))


# ---- sigparams (params model) -------------------------------------------------------------------------------------

def sigparams_cases(c, cols, rows):
    base = {"dataframe_split": {"columns": cols, "data": rows}}
    vals = [
        {"k": np.int64(3)}, {"k": np.int32(3)}, {"temperature": np.float32(0.25)}, {"temperature": np.float64(0.1)}, {"verbose": np.bool_(True)},
        {"ids": np.array([1, 2, 3])}, {"ids": np.array([1.5])}, {"ids": np.array([], dtype=np.int64)}, {"mode": np.str_("slow")},
        {"ids": np.array([[1, 2]])}, {"k": np.float64(2.0)}, {"k": np.uint64(2 ** 63)},
    ]
    for p in vals:
        for dumps in [lambda o: json.dumps(o, cls=NumpyEncoder), lambda o: json.dumps(o, default=str)]:
            try:
                c.add("sigparams", dumps(dict(base, params=p)))
            except TypeError:
                pass
    for tok in ["2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "2.0", "2e0", "2E+0", "-0", "0.0e0", "1e0",
                "1E+2", "3.4028235e38", "1e-400", "NaN", "Infinity"]:
        for name in ["k", "temperature", "ids"]:
            v = "[%s]" % tok if name == "ids" else tok
            c.add("sigparams", '{"dataframe_split": {"columns": %s, "data": %s}, "params": {"%s": %s}}' % (j(cols), j(rows), name, v))
    for p in [{"k": "2024-01-15"}, {"mode": "2024-01-15T10:30:00"}, {"ids": ["2024-01-15"]}, {"temperature": "2024-01-15"},
              {"ids": [1, "2"]}, {"ids": [1, None]}, {"ids": [1, 2.0]}, {"ids": [True]}, {"ids": []}, {"ids": [[]]}, {"mode": ""},
              {"mode": "x" * 5000}, {"verbose": "True"}, {"verbose": "1"}, {"verbose": 0.0}, {"temperature": True}, {"k": False}]:
        c.add("sigparams", json.dumps(dict(base, params=p)))


def generate():
    rng = random.Random(SEED)
    out = {}

    reg = reg_df()
    reg_rows = reg.values.tolist()
    c = Cases("regression")
    pyclient_cases(c, reg)
    rclient_cases(c, REG, reg_rows)
    nanplace_cases(c, REG, reg_rows, rng, 40)
    bounds_cases(c, REG, reg_rows, ["age", "bp"], ["split", "dataframe_records", "inputs-cols", "instances-lists", "csv"], rng, 40)
    csv3_cases(c, REG, reg_rows)
    ctype3_cases(c, reg)
    wide_cases(c, REG, reg)
    out["regression"] = c.items

    mixed = mixed_df()
    mixed_rows = json.loads(mixed.to_json(orient="values"))
    c = Cases("mixed")
    pyclient_cases(c, mixed)
    rclient_cases(c, MIXED, mixed_rows)
    nanplace_cases(c, MIXED, mixed_rows, rng, 90)
    bounds_cases(c, MIXED, mixed_rows, ["n_long", "n_int", "score", "flag", "amount"],
                 ["split", "dataframe_records", "instances", "inputs-cols", "instances-lists", "csv"], rng, 100)
    csv3_cases(c, MIXED, mixed_rows, "city")
    ctype3_cases(c, mixed)
    wide_cases(c, MIXED, mixed, "city")
    out["mixed"] = c.items

    c = Cases("mixed-proba")
    three = mixed_df(3)
    three_rows = json.loads(three.to_json(orient="values"))
    pyclient_cases(c, three)
    nanplace_cases(c, MIXED, three_rows, rng, 10)
    bounds_cases(c, MIXED, three_rows, ["score", "amount"], ["split", "inputs-cols", "csv"], rng, 10)
    out["mixed-proba"] = c.items

    c = Cases("nosig")
    pyclient_cases(c, reg)
    rclient_cases(c, REG, reg_rows)
    nanplace_cases(c, REG, reg_rows, rng, 20)
    bounds_cases(c, REG, reg_rows, ["age"], ["split", "dataframe_records", "csv"], rng, 20)
    csv3_cases(c, REG, reg_rows)
    ctype3_cases(c, reg)
    out["nosig"] = c.items

    c = Cases("params")
    sigparams_cases(c, REG, reg_rows)
    out["params"] = c.items

    c = Cases("tensor")
    iris = iris_df()
    iris_rows = iris.values.tolist()
    pyclient_cases(c, iris)
    nanplace_cases(c, IRIS, iris_rows, rng, 15)
    bounds_cases(c, IRIS, iris_rows, IRIS, ["instances-lists", "split", "inputs-cols"], rng, 25)
    csv3_cases(c, IRIS, iris_rows)
    ctype3_cases(c, iris)
    out["tensor"] = c.items

    c = Cases("typed")
    pdates_cases(c)
    typed = typed_df()
    pyclient_cases(c, typed)
    typed_rows = json.loads(typed.to_json(orient="values", date_format="iso"))
    nanplace_cases(c, TYPED, typed_rows, rng, 30)
    bounds_cases(c, TYPED, typed_rows, ["x", "n"], ["split", "dataframe_records", "inputs-cols"], rng, 15)
    out["typed"] = c.items

    c = Cases("tensors")
    a = np.array([[1.5, 2.0], [0.25, -3.0]])
    b = np.array([3, 7])
    for dumps in [lambda o: json.dumps(o, cls=NumpyEncoder), lambda o: json.dumps(o, default=lambda x: x.tolist())]:
        c.add("pyclient", dumps({"inputs": {"a": a, "b": b}}))
        c.add("pyclient", dumps({"instances": [{"a": a[i], "b": b[i]} for i in range(2)]}))
        c.add("pyclient", dumps({"inputs": {"a": a.astype(np.float32), "b": b.astype(np.int32)}}))
        c.add("pyclient", dumps({"inputs": {"a": a[0], "b": b[0]}}))
        c.add("pyclient", dumps({"inputs": [{"a": a[i], "b": b[i]} for i in range(2)]}))
    c.add("pyclient", json.dumps({"inputs": {"a": [[str(x) for x in r] for r in a.tolist()], "b": [str(x) for x in b]}}))
    for tok in ["9223372036854775807", "9223372036854775808", "-9223372036854775808", "2147483648", "3.0", "3e0", "3E+0", "-0", "0.0e0",
                "1e0", "1E+2", "NaN", "null"]:
        c.add("bounds", '{"inputs": {"a": [[1.5, 2.0], [0.25, -3.0]], "b": [%s, 7]}}' % tok)
        c.add("bounds", '{"inputs": {"a": [[%s, 2.0], [0.25, -3.0]], "b": [3, 7]}}' % tok)
    out["tensors"] = c.items

    c = Cases("optional")
    full = pd.DataFrame({"x": [0.5, 2.0], "n": [1, 2], "tag": ["a", "b"]})
    pyclient_cases(c, full)
    nanplace_cases(c, ["x", "n", "tag"], [[0.5, 1, "a"], [2.0, 2, "b"]], rng, 15)
    csv3_cases(c, ["x", "n", "tag"], [[0.5, 1, "a"], [2.0, 2, "b"]], "tag")
    out["optional"] = c.items

    # A seeded sample of each model's cases, in generation order (500–700 requests per version).
    pick = random.Random(SEED + 1)
    for name, items in out.items():
        keep = sorted(pick.sample(range(len(items)), min(CAP[name], len(items))))
        out[name] = [items[i] for i in keep]
    return out


if __name__ == "__main__":
    print_summary(generate())
