"""Generates the requests of the recorded differential suite (see record.py and docs/fidelity.md).

Deterministic: the same cases in the same order on every run, each with a stable id
(<model>/<class>/<n>). A case is {id, cls, method, path, content_type (None = no header), body (bytes)}.
Bodies are written as text, so JSON tokens Python's json accepts and JavaScript's does not
(NaN, Infinity, 1e400, -0.0, 2**63) reach the server exactly as written.

Classes (the report's per-class rates):
  form      every payload form MLflow accepts or refuses (split/records/instances/inputs/CSV, nesting, empty)
  ctype     content-type variants (charset, case, parameters, missing, unsupported)
  value     per-column-type value mutations in every JSON form
  csv       CSV bodies: NA tokens, booleans, quoting, BOM, numbers pandas' parser reads its own way
  columns   missing / extra / duplicate / reordered / renamed columns
  index     dataframe_split index variants
  params    params of every wrong type, unknown params, params on a model without a params schema
  body      empty / invalid / BOM / non-UTF-8 bodies, unknown or several keys
  route     GET /ping, /health, /version
"""

import json

REG = ["age", "bmi", "bp"]
REG_ROWS = [[0.03, 0.06, 0.02], [-0.01, 0.0, 0.05]]
MIXED = ["n_long", "n_int", "city", "score", "flag", "amount"]
MIXED_ROWS = [["3", "1", '"paris"', "0.5", "true", "12.5"], ["70", "-2", '"tokyo"', "0.25", "false", "900.0"]]
TENSOR_ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]

# Raw JSON tokens, one per value mutation (Python's json.loads reads all of them).
JSON_VALUES = [
    "1", "-1", "1.0", "1.5", "-0.0", "0", "1E5", "1e-7", "2147483648", "-2147483649", "9007199254740993",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e308", "1e400",
    "NaN", "Infinity", "-Infinity", '"NaN"', '"1"', '"1.5"', '"-0.0"', '"abc"', '""', '"\\u00fcn\\u00efc\\u00f6de"',
    '"' + "x" * 300 + '"', "true", "false", '"true"', "null", "[1, 2]", "[]", '{"a": 1}', "[[1]]",
]
# CSV field texts, one per CSV mutation.
CSV_VALUES = [
    "", "NA", "N/A", "null", "NULL", "nan", "NaN", "-nan", "#N/A", "None", "n/a", "<NA>", "TRUE", "True", "true",
    "False", "1", "0", "3.0", "-0.0", "1.5", "1e5", "9223372036854775808", "2147483648", '"1"', '"a,b"', "abc",
    " 1", "1 ", "0x10", "1_000", "Inf", "-inf", "１",
]
CTYPES = [
    "application/json", "application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8",
    "application/json; format=pandas-split", "application/json; format=pandas-records", "text/json",
    "text/csv", "text/csv; charset=utf-8", "TEXT/CSV", "text/plain", "application/x-www-form-urlencoded",
    "application/octet-stream", None, "", "application/jsonx", "multipart/form-data",
]


def j(x):
    return json.dumps(x)


def split(cols, rows, extra=""):
    return '{"dataframe_split": {"columns": %s, "data": [%s]%s}}' % (j(cols), ", ".join("[%s]" % ", ".join(map(str, r)) for r in rows), extra)


def records(key, cols, rows):
    return '{"%s": [%s]}' % (key, ", ".join("{%s}" % ", ".join("%s: %s" % (j(c), v) for c, v in zip(cols, r)) for r in rows))


def columnar(key, cols, rows):
    return '{"%s": {%s}}' % (key, ", ".join("%s: [%s]" % (j(c), ", ".join(str(r[i]) for r in rows)) for i, c in enumerate(cols)))


def csv_text(cols, rows):
    def field(v):
        v = str(v)
        return v[1:-1] if v.startswith('"') and v.endswith('"') and "," not in v else v

    return "\n".join([",".join(cols)] + [",".join(field(v) for v in r) for r in rows]) + "\n"


class Cases:
    def __init__(self, model):
        self.model = model
        self.items = []
        self.count = {}

    def add(self, cls, body, content_type="application/json", method="POST", path="/invocations"):
        n = self.count.get(cls, 0)
        self.count[cls] = n + 1
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.items.append({"id": "%s/%s/%d" % (self.model, cls, n), "cls": cls, "method": method, "path": path, "content_type": content_type, "body": body})


def json_forms(cols, rows):
    """Every JSON form of the same table, with a name per form."""
    return [
        ("split", split(cols, rows)),
        ("records", records("dataframe_records", cols, rows)),
        ("instances", records("instances", cols, rows)),
        ("inputs", records("inputs", cols, rows)),
        ("instances-cols", columnar("instances", cols, rows)),
        ("inputs-cols", columnar("inputs", cols, rows)),
    ]


def common(c, cols, rows, mutate_forms=True, csv_mutations=True, values=JSON_VALUES):
    for _, body in json_forms(cols, rows):
        c.add("form", body)
    c.add("form", csv_text(cols, rows), "text/csv")
    c.add("form", split(cols, rows[:1]))
    c.add("form", '{"dataframe_split": {"columns": %s, "data": []}}' % j(cols))
    c.add("form", '{"dataframe_split": {"columns": %s, "data": null}}' % j(cols))
    c.add("form", '{"dataframe_split": {"data": [%s]}}' % ", ".join("[%s]" % ", ".join(map(str, r)) for r in rows))
    c.add("form", '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), ", ".join(map(str, rows[0]))))
    for key in ["dataframe_records", "instances", "inputs"]:
        c.add("form", '{"%s": []}' % key)
        c.add("form", '{"%s": {}}' % key)
        c.add("form", '{"%s": [[%s]]}' % (key, ", ".join(map(str, rows[0]))))
        c.add("form", '{"%s": [%s]}' % (key, ", ".join(map(str, rows[0]))))
    c.add("form", '{"inputs": {%s}}' % ", ".join("%s: %s" % (j(col), rows[0][i]) for i, col in enumerate(cols)))
    c.add("form", '{"inputs": {%s}}' % ", ".join("%s: [%s]" % (j(col), ", ".join([str(rows[0][i])] * (1 + i % 2))) for i, col in enumerate(cols)))
    c.add("form", '{"dataframe_records": [%s, {}]}' % records("x", cols, rows[:1])[6:-2])
    c.add("form", '{"instances": [%s, [1]]}' % records("x", cols, rows[:1])[6:-2])
    c.add("form", '{"dataframe_split": {"columns": %s, "data": [[%s]]}}' % (j([cols]), ", ".join(map(str, rows[0]))))
    c.add("form", '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), ", ".join("[%s]" % ", ".join("[%s]" % v for v in r) for r in rows)))

    base = split(cols, rows)
    for ct in CTYPES:
        c.add("ctype", csv_text(cols, rows) if ct and "csv" in ct.lower() else base, ct)
    c.add("ctype", base, "text/csv")
    c.add("ctype", csv_text(cols, rows), "application/json")

    # Columns
    for i in range(len(cols)):
        rest = [k for k in range(len(cols)) if k != i]
        c.add("columns", split([cols[k] for k in rest], [[r[k] for k in rest] for r in rows]))
        c.add("columns", records("dataframe_records", [cols[k] for k in rest], [[r[k] for k in rest] for r in rows]))
    c.add("columns", split(cols + ["extra"], [r + ["1"] for r in rows]))
    c.add("columns", records("dataframe_records", cols + ["extra"], [r + ['"x"'] for r in rows]))
    c.add("columns", records("inputs", cols + ["extra", "more"], [r + ["1", "2"] for r in rows]))
    c.add("columns", split(cols + [cols[0]], [r + [r[0]] for r in rows]))
    c.add("columns", split(list(reversed(cols)), [list(reversed(r)) for r in rows]))
    c.add("columns", records("dataframe_records", list(reversed(cols)), [list(reversed(r)) for r in rows]))
    c.add("columns", split([x.upper() for x in cols], rows))
    c.add("columns", split([], [[] for _ in rows]))
    c.add("columns", split(cols[:1] + [None] + cols[2:], rows) if len(cols) > 2 else split(cols, rows))
    c.add("columns", csv_text(cols + [cols[0]], [r + [r[0]] for r in rows]), "text/csv")
    c.add("columns", csv_text(cols[1:], [r[1:] for r in rows]), "text/csv")
    c.add("columns", csv_text(cols + ["extra"], [r + ["1"] for r in rows]), "text/csv")

    # Index
    for idx in ["[0, 1]", '["a", "b"]', "[0]", "[0, 1, 2]", "[[0], [1]]", '{"a": 0, "b": 1}', "null", "[1.5, -0.0]", "[null, null]", "[true, false]", "0"]:
        c.add("index", split(cols, rows, ', "index": %s' % idx))
    c.add("index", '{"dataframe_split": {"index": [0, 1], "columns": %s, "data": [%s]}}' % (j(cols), ", ".join("[%s]" % ", ".join(map(str, r)) for r in rows)))

    if mutate_forms:
        rotating = ["records", "instances", "inputs-cols", "inputs"]
        for i, col in enumerate(cols):
            for n, v in enumerate(values):
                mrows = [list(r) for r in rows]
                mrows[0][i] = v
                c.add("value", split(cols, mrows))
                form = rotating[n % len(rotating)]
                body = dict(json_forms(cols, mrows))[form]
                c.add("value", body)
    if csv_mutations:
        for i, col in enumerate(cols):
            for v in CSV_VALUES:
                mrows = [list(r) for r in rows]
                mrows[0][i] = v
                c.add("csv", csv_text(cols, mrows), "text/csv")
    c.add("csv", "\ufeff" + csv_text(cols, rows), "text/csv")
    c.add("csv", ",".join('"%s"' % x for x in cols) + "\n" + csv_text(cols, rows).split("\n", 1)[1], "text/csv")
    c.add("csv", csv_text(cols, rows).replace("\n", "\r\n"), "text/csv")
    c.add("csv", csv_text(cols, rows) + "\n\n", "text/csv")
    c.add("csv", ",".join(cols) + "\n", "text/csv")
    c.add("csv", "", "text/csv")
    c.add("csv", csv_text(cols, rows).rstrip("\n"), "text/csv")
    c.add("csv", csv_text(cols, rows).replace(",", ";"), "text/csv")
    c.add("csv", ",".join(cols) + "\n" + ",".join(["1"] * (len(cols) + 1)) + "\n", "text/csv")
    c.add("csv", ",".join(cols) + "\n" + ",".join(["1"] * (len(cols) - 1)) + "\n", "text/csv")
    c.add("csv", ",".join(cols) + '\n"unterminated' + "\n", "text/csv")
    c.add("csv", b"\xff\xfe" + csv_text(cols, rows).encode("utf-16-le"), "text/csv")
    c.add("csv", csv_text(cols, rows).encode("utf-8") + b"\xe9\n", "text/csv")


def bodies(c, cols, rows):
    base = split(cols, rows)
    for b in ["", " ", "{", "}", "[]", "{}", "null", "1", '"x"', "[1, 2]", base + " trailing", base[:-1], "{'a': 1}",
              '{"dataframe_split": null}', '{"dataframe_split": []}', '{"dataframe_split": "x"}', '{"dataframe_records": null}',
              '{"instances": null}', '{"inputs": null}', '{"inputs": 1}', '{"inputs": "x"}', '{"instances": "x"}',
              '{"foo": 1}', '{"dataframe_split": {"columns": ["a"], "data": [[1]]}, "instances": [[1]]}',
              '{"inputs": [], "instances": []}', '{"params": {}}', '{"dataframe_records": [1, 2]}',
              base.replace("dataframe_split", "dataframe_split", 1)[:-1] + ', "dataframe_split": {}}',
              '{"Dataframe_Split": {}}', '{"data": [[1]]}', '{"columns": ["a"], "data": [[1]]}']:
        c.add("body", b)
    c.add("body", "\ufeff" + base)
    c.add("body", b"\xff\xfe" + base.encode("utf-16-le"))
    c.add("body", base.encode("utf-8").replace(b'"data"', b'"d\xe9ta"'))
    c.add("body", base.encode("latin-1").replace(b"[", b"[\xa0", 1))
    c.add("body", b"\x00" * 4)
    c.add("body", base.replace(": ", ":\n\t "))


def routes(c):
    for p in ["/ping", "/health", "/version"]:
        c.add("route", b"", None, "GET", p)
    c.add("route", b"", None, "GET", "/invocations")


def params_cases(c, cols, rows, with_schema):
    base_rows = ", ".join("[%s]" % ", ".join(map(str, r)) for r in rows)
    def with_params(p, form="split"):
        if form == "split":
            return '{"dataframe_split": {"columns": %s, "data": [%s]}, "params": %s}' % (j(cols), base_rows, p)
        return records(form, cols, rows)[:-1] + ', "params": %s}' % p

    wrong = {
        "k": ["1", "-0.0", "1.0", "1.5", '"1"', '"x"', "true", "null", "[1]", "2147483648", "9223372036854775808", "NaN", '{"a": 1}'],
        "temperature": ["1", "-0.0", '"0.5"', '"x"', "true", "null", "[0.5]", "NaN", "Infinity", "1e400", "9223372036854775808"],
        "mode": ["1", "true", "null", '["a"]', '""', "1.5", '"\\u00fc"'],
        "verbose": ['"true"', "1", "0", "null", "[true]", "1.0"],
        "ids": ["1", '[1, "a"]', "[[1]]", "[]", "[1.5]", '"x"', "[true]", "[-0.0]", "[null]", "[9223372036854775808]"],
    }
    forms = ["split", "dataframe_records", "instances", "inputs"]
    n = 0
    for name, values in wrong.items():
        for v in values:
            c.add("params", with_params('{"%s": %s}' % (name, v), forms[n % len(forms)]))
            n += 1
    for p in ["{}", '{"zz": 1}', '{"k": 2, "zz": [1]}', "null", "[1]", '"x"', "1", '{"k": 2, "temperature": 0.1, "mode": "slow", "verbose": true, "ids": [3]}', '{"k": 1, "k": "x"}']:
        c.add("params", with_params(p))
        c.add("params", with_params(p, "inputs"))
    if with_schema:
        c.add("params", csv_text(cols, rows), "text/csv")


def generate():
    out = {}
    reg_rows = [list(map(str, r)) for r in REG_ROWS]

    c = Cases("regression")
    common(c, REG, reg_rows)
    bodies(c, REG, reg_rows)
    routes(c)
    params_cases(c, REG, reg_rows, False)
    out["regression"] = c.items

    c = Cases("mixed")
    common(c, MIXED, MIXED_ROWS)
    bodies(c, MIXED, MIXED_ROWS)
    routes(c)
    out["mixed"] = c.items

    c = Cases("mixed-proba")
    common(c, MIXED, MIXED_ROWS, mutate_forms=False, csv_mutations=False)
    for i, col in enumerate(MIXED):
        for v in ["1.5", '"1"', "null", "true", "9223372036854775808", "-0.0", '"abc"']:
            mrows = [list(r) for r in MIXED_ROWS]
            mrows[0][i] = v
            c.add("value", split(MIXED, mrows))
            c.add("value", records("inputs", MIXED, mrows))
    out["mixed-proba"] = c.items

    c = Cases("nosig")
    common(c, REG, reg_rows, values=JSON_VALUES[::2])
    bodies(c, REG, reg_rows)
    params_cases(c, REG, reg_rows, False)
    out["nosig"] = c.items

    c = Cases("params")
    common(c, REG, reg_rows, mutate_forms=False, csv_mutations=False)
    params_cases(c, REG, reg_rows, True)
    routes(c)
    out["params"] = c.items

    c = Cases("tensor")
    rows = [list(map(str, r)) for r in TENSOR_ROWS]
    lists = lambda rs: "[%s]" % ", ".join("[%s]" % ", ".join(r) for r in rs)
    for key in ["instances", "inputs"]:
        c.add("form", '{"%s": %s}' % (key, lists(rows)))
        c.add("form", '{"%s": %s}' % (key, lists(rows[:1])))
        c.add("form", '{"%s": []}' % key)
        c.add("form", '{"%s": [%s]}' % (key, ", ".join(rows[0])))
        c.add("form", '{"%s": [%s]}' % (key, lists(rows)))
        c.add("form", '{"%s": {"x": %s}}' % (key, lists(rows)))
        c.add("form", '{"%s": [{"a": 1}]}' % key)
        c.add("form", '{"%s": [[1, 2, 3]]}' % key)
        c.add("form", '{"%s": [[1, 2, 3, 4], [1, 2]]}' % key)
        c.add("form", '{"%s": %s}' % (key, "[" * 33 + "1" + "]" * 33))
        c.add("form", '{"%s": %s}' % (key, "[" * 40 + "1" + "]" * 40))
        c.add("form", '{"%s": 1}' % key)
        c.add("form", '{"%s": "x"}' % key)
    c.add("form", split(["a", "b", "c", "d"], rows))
    c.add("form", split(["0", "1", "2", "3"], rows))
    c.add("form", records("dataframe_records", ["a", "b", "c", "d"], rows))
    c.add("form", csv_text(["a", "b", "c", "d"], rows), "text/csv")
    c.add("form", csv_text(["0", "1", "2", "3"], rows), "text/csv")
    for n, v in enumerate(JSON_VALUES):
        mrows = [list(r) for r in rows]
        mrows[0][n % 4] = v
        c.add("value", '{"instances": %s}' % lists(mrows))
        c.add("value", '{"inputs": %s}' % lists(mrows))
        c.add("value", split(["a", "b", "c", "d"], mrows))
    base = '{"inputs": %s}' % lists(rows)
    for ct in CTYPES:
        c.add("ctype", base, ct)
    bodies(c, ["a", "b", "c", "d"], rows)
    routes(c)
    out["tensor"] = c.items
    return out


def print_summary(g):
    """Cases per model and class, and the total (`python3 generate.py`)."""
    for m, items in g.items():
        by = {}
        for i in items:
            by[i["cls"]] = by.get(i["cls"], 0) + 1
        print(m, len(items), by)
    print("total", sum(len(v) for v in g.values()))


if __name__ == "__main__":
    print_summary(generate())
