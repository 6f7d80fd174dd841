"""Requests in the MLflow 1.x scoring protocol (docs/fidelity.md §15), recorded by record.py --suite native1x.

MLflow 1.x's `/invocations` (mlflow/pyfunc/scoring_server/__init__.py, v1.25.1 … v1.30.1) takes a *bare* pandas
JSON body — `{"columns": [...], "data": [...], "index": [...]}` (split orient) or a list of records — under
`application/json` (the body's type picks the orient; `instances`/`inputs` keys go to the TF-serving parser),
`application/json; format=pandas-split` / `format=pandas-records` (the orient forced, read by pandas.read_json),
`application/json-numpy-split` (split orient read by json.loads into an object ndarray), and `text/csv`.
The suites generated for 2.x send `dataframe_split`-style bodies; this one sends what a 1.x client sent.

Seeded (20261207): value mutations per column in every form, random 1–4-row tables, missing / extra / duplicate /
reordered columns, orient variants (`index`, `columns`, `values` layouts under the split/records formats), bad
JSON, empty and non-UTF-8 bodies, content-type variants and GET/POST on every route. A case is
{id, cls, method, path, content_type (None = no header), body (bytes)}, as in generate.py.
"""

import json
import random

from generate import CSV_VALUES, JSON_VALUES, MIXED, MIXED_ROWS, REG, REG_ROWS, TENSOR_ROWS, Cases, csv_text, j

SEED = 20261207
FORMS = {
    "split": "application/json",
    "split-fmt": "application/json; format=pandas-split",
    "records": "application/json",
    "records-fmt": "application/json; format=pandas-records",
    "numpy": "application/json-numpy-split",
    "instances": "application/json",
    "inputs": "application/json",
    "inputs-cols": "application/json",
}
CTYPES = [
    "application/json", "application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json;charset=utf-8",
    "application/json; charset=latin-1", "application/json; charset=utf8", "Application/JSON", "application/json; format=pandas-split",
    "application/json;format=pandas-split", "application/json; format=pandas-records", "application/json; format=split",
    "application/json; format=pandas-split; charset=utf-8", "application/json; format=", "application/json-numpy-split",
    "application/json-numpy-split; charset=utf-8", "application/json-numpy-split; format=pandas-split", "text/csv",
    "text/csv; charset=utf-8", "text/csv; format=pandas-split", "text/csv; charset=latin-1", "TEXT/CSV", "text/json",
    "text/plain", "application/octet-stream", None, "", "application/jsonx", "application/json; foo", "application/json;",
    " application/json", "application/json ; format = pandas-split",
]


def rows_text(rows):
    return "[%s]" % ", ".join("[%s]" % ", ".join(map(str, r)) for r in rows)


def split_body(cols, rows, index=None, lead_index=False):
    parts = ['"columns": %s' % j(cols), '"data": %s' % rows_text(rows)]
    if index is not None:
        parts.insert(0 if lead_index else 2, '"index": %s' % index)
    return "{%s}" % ", ".join(parts)


def records_body(cols, rows):
    return "[%s]" % ", ".join("{%s}" % ", ".join("%s: %s" % (j(c), v) for c, v in zip(cols, r)) for r in rows)


def tf_body(key, cols, rows, columnar=False):
    if columnar:
        return '{"%s": {%s}}' % (key, ", ".join("%s: [%s]" % (j(c), ", ".join(str(r[i]) for r in rows)) for i, c in enumerate(cols)))
    return '{"%s": %s}' % (key, records_body(cols, rows))


def body_of(form, cols, rows):
    if form in ("split", "split-fmt"):
        return split_body(cols, rows)
    if form in ("records", "records-fmt"):
        return records_body(cols, rows)
    if form == "numpy":
        return split_body(cols, rows, "[%s]" % ", ".join(str(i) for i in range(len(rows))))
    if form == "instances":
        return tf_body("instances", cols, rows)
    if form == "inputs":
        return tf_body("inputs", cols, rows)
    return tf_body("inputs", cols, rows, columnar=True)


def table(c, rnd, cols, rows):
    for form, ct in FORMS.items():
        c.add("form", body_of(form, cols, rows), ct)
        c.add("form", body_of(form, cols, rows[:1]), ct)
    c.add("form", csv_text(cols, rows), "text/csv")
    c.add("form", csv_text(cols, rows[:1]), "text/csv")
    # 2.x bodies sent to a 1.x server, and empty tables
    c.add("form", '{"dataframe_split": %s}' % split_body(cols, rows))
    c.add("form", '{"dataframe_records": %s}' % records_body(cols, rows))
    c.add("form", '{"dataframe_split": %s}' % split_body(cols, rows), "application/json; format=pandas-split")
    for ct in ["application/json", "application/json; format=pandas-split", "application/json-numpy-split"]:
        c.add("form", '{"columns": %s, "data": []}' % j(cols), ct)
        c.add("form", '{"columns": %s, "data": []}' % j(cols[:1]), ct)
        c.add("form", '{"data": %s}' % rows_text(rows), ct)
        c.add("form", '{"columns": %s, "data": %s}' % (j(cols), "[%s]" % ", ".join(map(str, rows[0]))), ct)
        c.add("form", '{"columns": %s}' % j(cols), ct)
    for ct in ["application/json", "application/json; format=pandas-records"]:
        c.add("form", "[]", ct)
        c.add("form", "[{}]", ct)
        c.add("form", "[%s]" % ", ".join(map(str, rows[0])), ct)
        c.add("form", rows_text(rows), ct)
        c.add("form", records_body(cols, rows)[:-1] + ", {}]", ct)
    # the other pandas orients sent where split/records is read
    cols_orient = "{%s}" % ", ".join('%s: {%s}' % (j(col), ", ".join('"%d": %s' % (k, r[i]) for k, r in enumerate(rows))) for i, col in enumerate(cols))
    index_orient = "{%s}" % ", ".join('"%d": {%s}' % (k, ", ".join("%s: %s" % (j(col), r[i]) for i, col in enumerate(cols))) for k, r in enumerate(rows))
    for ct in ["application/json", "application/json; format=pandas-split", "application/json; format=pandas-records", "application/json-numpy-split"]:
        c.add("form", cols_orient, ct)
        c.add("form", index_orient, ct)
        c.add("form", rows_text(rows), ct)
        c.add("form", split_body(cols, rows).replace('"columns"', '"schema"', 1), ct)
        c.add("form", records_body(cols, rows), ct)
        c.add("form", split_body(cols, rows), ct)

    # content types
    for ct in CTYPES:
        c.add("ctype", csv_text(cols, rows) if ct and "csv" in ct.lower() else split_body(cols, rows), ct)
    c.add("ctype", split_body(cols, rows), "text/csv")
    c.add("ctype", csv_text(cols, rows), "application/json")
    c.add("ctype", records_body(cols, rows), "application/json; format=pandas-split")
    c.add("ctype", split_body(cols, rows), "application/json; format=pandas-records")

    # columns
    for form in ["split", "split-fmt", "records", "records-fmt", "numpy", "csv"]:
        ct = "text/csv" if form == "csv" else FORMS[form]
        mk = (lambda cs, rs: csv_text(cs, rs)) if form == "csv" else (lambda cs, rs, f=form: body_of(f, cs, rs))
        drop = rnd.randrange(len(cols))
        keep = [k for k in range(len(cols)) if k != drop]
        c.add("columns", mk([cols[k] for k in keep], [[r[k] for k in keep] for r in rows]), ct)
        c.add("columns", mk(cols + ["extra"], [r + ["1"] for r in rows]), ct)
        c.add("columns", mk(cols + [cols[0]], [r + [r[0]] for r in rows]), ct)
        perm = list(range(len(cols)))
        rnd.shuffle(perm)
        c.add("columns", mk([cols[k] for k in perm], [[r[k] for k in perm] for r in rows]), ct)
        c.add("columns", mk([x.upper() for x in cols], rows), ct)
    c.add("columns", split_body(list(range(len(cols))), rows))
    c.add("columns", split_body(cols[:-1] + [None], rows))

    # index
    for idx in ["[0, 1]", '["a", "b"]', "[0]", "[0, 1, 2]", "[[0], [1]]", "null", "[1.5, -0.0]", "[true, false]", "[5, 5]", "{}"]:
        for ct in ["application/json", "application/json; format=pandas-split", "application/json-numpy-split"]:
            c.add("index", split_body(cols, rows, idx, lead_index=rnd.random() < 0.5), ct)

    # values: every token in split (application/json), and in a rotating other form
    rotating = ["split-fmt", "records", "records-fmt", "numpy", "instances", "inputs-cols", "inputs"]
    n = 0
    for i in range(len(cols)):
        for v in JSON_VALUES:
            mrows = [list(r) for r in rows]
            mrows[rnd.randrange(len(rows))][i] = v
            c.add("value", body_of("split", cols, mrows), FORMS["split"])
            form = rotating[n % len(rotating)]
            c.add("value", body_of(form, cols, mrows), FORMS[form])
            n += 1
        for v in rnd.sample(CSV_VALUES, 12):
            mrows = [list(r) for r in rows]
            mrows[0][i] = v
            c.add("csv", csv_text(cols, mrows), "text/csv")
    # random tables: 1–4 rows of random picks from the columns' own values and the tokens
    for _ in range(12):
        k = rnd.randint(1, 4)
        mrows = [[rnd.choice([rows[rnd.randrange(len(rows))][i]] * 3 + [rnd.choice(JSON_VALUES)]) for i in range(len(cols))] for _ in range(k)]
        form = rnd.choice(list(FORMS))
        c.add("value", body_of(form, cols, mrows), FORMS[form])


def bodies(c, cols, rows):
    base = split_body(cols, rows)
    for ct in ["application/json", "application/json; format=pandas-split", "application/json; format=pandas-records", "application/json-numpy-split", "text/csv"]:
        for b in ["", " ", "{", "[", "}", "null", "1", '"x"', "true", "{}", base + " trailing", base[:-1], "{'a': 1}", "NaN", base.replace(": ", ":\n\t ")]:
            c.add("body", b, ct)
        c.add("body", "\ufeff" + base, ct)
        c.add("body", b"\xff\xfe" + base.encode("utf-16-le"), ct)
        c.add("body", base.encode("utf-8").replace(b'"data"', b'"d\xe9ta"'), ct)
        c.add("body", b"\x00" * 4, ct)
    for b in ['{"instances": [], "inputs": []}', '{"instances": null}', '{"inputs": 1}', '{"instances": "x"}', '{"inputs": {}}',
              '{"instances": [1, 2], "signature_name": "x"}', '{"instances": [[1]], "foo": 1}', '{"foo": 1}', '{"params": {}}']:
        c.add("body", b)


def routes(c):
    for p in ["/ping", "/health", "/version", "/invocations", "/", "/foo", "/ping/", "/invocations/", "/PING"]:
        c.add("route", b"", None, "GET", p)
    for p in ["/ping", "/version", "/foo", "/invocations/"]:
        c.add("route", b"[]", "application/json", "POST", p)


def generate():
    rnd = random.Random(SEED)
    out = {}
    reg_rows = [list(map(str, r)) for r in REG_ROWS]
    tensor_rows = [list(map(str, r)) for r in TENSOR_ROWS]
    for model, cols, rows in [
        ("regression", REG, reg_rows),
        ("mixed", MIXED, MIXED_ROWS),
        ("mixed-proba", MIXED, MIXED_ROWS),
        ("nosig", REG, reg_rows),
        ("params", REG, reg_rows),
        ("tensor", ["a", "b", "c", "d"], tensor_rows),
    ]:
        c = Cases(model)
        table(c, rnd, cols, rows)
        bodies(c, cols, rows)
        routes(c)
        if model == "tensor":
            lists = rows_text(tensor_rows)
            for key in ["instances", "inputs"]:
                for b in [lists, rows_text(tensor_rows[:1]), "[]", "[[1, 2, 3]]", '{"x": %s}' % lists, "[[1, 2, 3, 4], [1, 2]]"]:
                    c.add("form", '{"%s": %s}' % (key, b))
        if model == "params":
            for p in ['{"k": 2}', "null", '"x"']:
                c.add("params", '{"instances": %s, "params": %s}' % (records_body(cols, rows), p))
                c.add("params", '{"columns": %s, "data": %s, "params": %s}' % (j(cols), rows_text(rows), p))
        out[model] = c.items
    return out


if __name__ == "__main__":
    from generate import print_summary

    print_summary(generate())
