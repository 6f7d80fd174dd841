"""Generates the HELD-OUT requests of the recorded differential suite (see record.py --suite heldout).

The main suite (generate.py) is what the rules in docs/fidelity.md were fixed against. This one is the
freshness check: another generator, seeded differently, with mutation kinds the main suite does not have —
several cells mutated at once, random tables of 1–5 rows, value and CSV tokens outside generate.py's lists,
layout variations (pretty-printed, key order, permuted columns), combined params, random tensor shapes,
malformed JSON of other kinds and other non-UTF-8 encodings. Its recordings live in
test/fixtures/fidelity/heldout/ with their own known-gaps.json, and are never used to find rules: a gap
found here is fixed by reading MLflow's source, and the held-out rate is reported as measured.

Deterministic (random.Random(SEED)); ids are <model>/<class>/<n>.

Classes:
  multi    a valid table with 2–3 cells replaced by tokens from NEW_JSON, in a random JSON form
  table    random valid-typed tables of 1–5 rows in every form (JSON forms and CSV)
  layout   pretty-printed / compact bodies, key order, permuted columns, escaped column names
  csv      CSV tables with fields from NEW_CSV, random quoting and spacing
  ctype    content types generate.py does not send
  params   several params at once, valid and invalid mixed (params model) or on other models
  tensor   random shapes and values on the tensor model
  body     malformed JSON of other kinds; UTF-16-BE, CP1252, overlong and surrogate UTF-8 bytes
"""

import json
import random

from generate import Cases, columnar, j, print_summary, records

SEED = 20261203

REG = ["age", "bmi", "bp"]
MIXED = ["n_long", "n_int", "city", "score", "flag", "amount"]
MIXED_TYPES = ["long", "integer", "string", "float", "boolean", "double"]

NEW_JSON = [
    "12", "-7.25", "3e2", "0.1", "1e-320", "-2.5e-8", "4294967296", "18446744073709551616", "1.7976931348623157e308",
    "-2147483648", "2147483647", "-0", "0.0", "1E+2", "100000000000000000000.0", "5e-324", "-9007199254740993",
    "123456789.123456789", "0.30000000000000004", '"  3 "', '"1e3"', '"inf"', '"-Infinity"', '"False"', '"0"',
    '"\\u00e9t\\u00e9"', '"\\t"', '"[1]"', '"null"', '"+5"', '" "', '"12345678901234567890"', '"\\ud83d\\ude00"',
    "[1.5]", "[null]", "{}", "[[]]", '{"x": [1]}', "[true, 1]",
]
NEW_CSV = [
    "#NA", "-1.#IND", "1.#QNAN", "-NaN", "NULL ", "na", "Nan", "none", "nil", "+1", "1.", ".5", "1e+5", "0001", "-0",
    '"1,5"', "1d5", "0x1A", "1.0e", "-", "+", "t", "yes", "FALSE", "fAlSe", "18446744073709551616",
    "-9223372036854775809", "4.9e-324", "1e-400", '" 2 "', "tokyo", "\u00fcn\u00ef", "1.7976931348623157e308",
]
NEW_CTYPES = [
    "application/json; charset=latin-1", "application/json ; charset=utf-8", "APPLICATION/JSON;CHARSET=utf-8",
    "text/csv; header=present", "application/json; format=pandas-split; charset=utf-8", "text/csv;charset=utf-16",
    "application/json; charset=\"utf-8\"", "application/vnd.api+json", "text/CSV; charset=UTF-8", "application/csv",
]
CITIES = ["paris", "tokyo", "lima", "oslo", "", "Paris", "s\u00e3o paulo"]


def cell(rng, kind):
    """A valid JSON token for a column of this type."""
    if kind == "long":
        return str(rng.choice([rng.randint(0, 100), rng.randint(-10**12, 10**12), 0]))
    if kind == "integer":
        return str(rng.randint(-5, 5))
    if kind == "string":
        return j(rng.choice(CITIES))
    if kind == "float":
        return repr(round(rng.random(), rng.randint(1, 7)))
    if kind == "boolean":
        return rng.choice(["true", "false"])
    return repr(round(rng.uniform(-1, 1) * 10 ** rng.randint(-3, 3), rng.randint(0, 9)))


def table(rng, kinds, n_rows):
    return [[cell(rng, k) for k in kinds] for _ in range(n_rows)]


def split(cols, rows, sep=", "):
    return '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), sep.join("[%s]" % sep.join(r) for r in rows))


def csv_field(v):
    """A JSON token as the CSV field to_csv would write (strings unquoted unless they need quotes)."""
    if v.startswith('"') and v.endswith('"') and len(v) >= 2:
        inner = json.loads(v)
        return inner if ("," not in inner and '"' not in inner and "\n" not in inner) else '"%s"' % inner.replace('"', '""')
    return v


def csv_text(cols, rows, quote_rng=None, fields=csv_field):
    def q(x):
        if quote_rng is not None and quote_rng.random() < 0.2 and not x.startswith('"'):
            return '"%s"' % x
        return x

    return "\n".join([",".join(q(c) for c in cols)] + [",".join(q(fields(v)) for v in r) for r in rows]) + "\n"


FORMS = ["split", "records", "instances", "inputs", "instances-cols", "inputs-cols"]


def form_body(form, cols, rows):
    if form == "split":
        return split(cols, rows)
    if form == "records":
        return records("dataframe_records", cols, rows)
    if form in ("instances", "inputs"):
        return records(form, cols, rows)
    return columnar(form[:-5], cols, rows)


def tables(c, rng, cols, kinds, n):
    for _ in range(n):
        rows = table(rng, kinds, rng.randint(1, 5))
        form = rng.choice(FORMS + ["csv"])
        if form == "csv":
            c.add("table", csv_text(cols, rows), "text/csv")
        else:
            c.add("table", form_body(form, cols, rows))


def multi(c, rng, cols, kinds, n):
    for _ in range(n):
        rows = table(rng, kinds, rng.randint(1, 3))
        for _ in range(rng.randint(2, 3)):
            rows[rng.randrange(len(rows))][rng.randrange(len(cols))] = rng.choice(NEW_JSON)
        c.add("multi", form_body(rng.choice(FORMS), cols, rows))


def csv_cases(c, rng, cols, kinds, n):
    for _ in range(n):
        rows = [[csv_field(v) for v in r] for r in table(rng, kinds, rng.randint(1, 3))]
        for _ in range(rng.randint(1, 2)):
            rows[rng.randrange(len(rows))][rng.randrange(len(cols))] = rng.choice(NEW_CSV)
        text = csv_text(cols, rows, rng, fields=lambda v: v)
        if rng.random() < 0.2:
            text = text.replace(",", " , ")
        c.add("csv", text, rng.choice(["text/csv", "text/csv; charset=utf-8"]))


def layout(c, rng, cols, kinds):
    rows = table(rng, kinds, 2)
    parsed = [[json.loads(v) for v in r] for r in rows]
    c.add("layout", json.dumps({"dataframe_split": {"columns": cols, "data": parsed}}, indent=2))
    c.add("layout", json.dumps({"dataframe_split": {"data": parsed, "columns": cols}}, separators=(",", ":")))
    c.add("layout", json.dumps({"dataframe_records": [dict(reversed(list(zip(cols, r)))) for r in parsed]}))
    perm = list(range(len(cols)))
    rng.shuffle(perm)
    c.add("layout", split([cols[i] for i in perm], [[r[i] for i in perm] for r in rows]))
    c.add("layout", json.dumps({"inputs": {k: [r[i] for r in parsed] for i, k in enumerate(cols)}}, ensure_ascii=False, indent="\t"))
    esc = "[%s]" % ", ".join('"%s"' % "".join("\\u%04x" % ord(ch) for ch in col) for col in cols)
    c.add("layout", '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (esc, ", ".join("[%s]" % ", ".join(r) for r in rows)))
    c.add("layout", '\r\n  ' + split(cols, rows) + '\r\n\r\n')
    c.add("layout", '{"dataframe_split": {"columns": %s, "data": [%s], "index": ["r1", "r2"]}, "params": {}}' % (j(cols), ", ".join("[%s]" % ", ".join(r) for r in rows)))
    c.add("layout", '{"instances": [%s]}' % ", ".join("{%s}" % ", ".join("%s: %s" % (j(k), v) for k, v in rng.sample(list(zip(cols, r)), len(cols))) for r in rows))
    c.add("layout", '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), ", ".join("[%s]" % ", ".join(r) for r in rows * 3)))


def ctypes(c, rng, cols, kinds):
    rows = table(rng, kinds, 2)
    for ct in NEW_CTYPES:
        c.add("ctype", csv_text(cols, rows) if "csv" in ct.lower() else split(cols, rows), ct)


def bodies(c, rng, cols, kinds):
    rows = table(rng, kinds, 2)
    base = split(cols, rows)
    for b in [
        base.replace("]]", "],]", 1), base.replace('"columns"', "'columns'"), base.replace("[[", "[[0", 1) if kinds[0] != "string" else base + ",",
        base.replace(", ", ", nan, ", 1), base.replace("{", "{ // c\n", 1), base + "\n" + base, '{"dataframe_split": {"columns": %s, "data": [[%s]]}}' % (j(cols), ", ".join(["0x1"] * len(cols))),
        '{"dataframe_split": {"columns": %s, "data": "%s"}}' % (j(cols), "1,2"), '{"dataframe_split": {"columns": "%s", "data": [[1]]}}' % cols[0],
        '{"dataframe_split": {"columns": %s, "data": [[1]], "dtype": "float"}}' % j(cols[:1]), '{"dataframe_records": {"0": %s}}' % records("x", cols, rows[:1])[7:-2],
        '{"inputs": [%s], "params": {"a": 1}}' % ", ".join("{%s}" % ", ".join("%s: %s" % (j(k), v) for k, v in zip(cols, r)) for r in rows),
        base.replace('"data"', '"d\\u0000ata"'), base.replace("dataframe_split", "dataframe_split\\ud800"), '"\\ud800"', "[{}]", "[[]]", "  \n\t ", "\n",
    ]:
        c.add("body", b)
    c.add("body", base.encode("utf-16-be"))
    c.add("body", b"\xef\xbb\xbf\xef\xbb\xbf" + base.encode())
    c.add("body", base.encode().replace(b'"columns"', b'"col\xc0\xafumns"'))
    c.add("body", base.encode().replace(b'"data"', b'"da\xed\xa0\x80ta"'))
    c.add("body", base.encode().replace(b'"columns"', b'"col\x93umns"'))
    c.add("body", base.encode().replace(b'"columns"', '"col\U0001f600umns"'.encode()))
    c.add("body", base.encode() + b"\x00")


def params_combos(c, rng, cols, rows, n):
    good = {"k": ["2", "0", "-5"], "temperature": ["0.1", "3", "-0.0"], "mode": ['"slow"', '"x"'], "verbose": ["true", "false"], "ids": ["[3]", "[]", "[1, 2, 3]"]}
    bad = {"k": ['"2"', "2.5", "false", "[2]", "1e3"], "temperature": ['"hot"', "[]", "false", "{}"], "mode": ["0", "[]", "false"],
           "verbose": ['"yes"', "2", "[false]"], "ids": ["3", '["1"]', "[[1, 2]]", "[1.0]", "[false]", "{}"]}
    base_rows = ", ".join("[%s]" % ", ".join(r) for r in rows)
    for _ in range(n):
        names = rng.sample(list(good), rng.randint(2, 4))
        parts = []
        for name in names:
            pool = bad[name] if rng.random() < 0.5 else good[name]
            parts.append("%s: %s" % (j(name), rng.choice(pool)))
        if rng.random() < 0.2:
            parts.append('"unknown_%d": %d' % (rng.randint(0, 9), rng.randint(0, 9)))
        p = "{%s}" % ", ".join(parts)
        form = rng.choice(["split", "inputs", "instances", "dataframe_records"])
        if form == "split":
            c.add("params", '{"params": %s, "dataframe_split": {"columns": %s, "data": [%s]}}' % (p, j(cols), base_rows))
        else:
            c.add("params", records(form, cols, rows)[:-1] + ', "params": %s}' % p)


def tensor_cases(c, rng, n):
    for _ in range(n):
        rows = [[repr(round(rng.uniform(0, 8), rng.randint(0, 4))) for _ in range(4)] for _ in range(rng.randint(1, 4))]
        kind = rng.randrange(8)
        if kind == 1:
            rows[rng.randrange(len(rows))][rng.randrange(4)] = rng.choice(NEW_JSON)
        elif kind == 2:
            rows[0] = rows[0] + ["1.0"] * rng.randint(1, 2)
        elif kind == 3:
            rows = [["[%s]" % v for v in r] for r in rows]
        elif kind == 4:
            rows = [[str(int(float(v))) for v in r] for r in rows]
        elif kind == 5:
            rows = [r[:4 - rng.randint(1, 3)] for r in rows]
        body = "[%s]" % ", ".join("[%s]" % ", ".join(r) for r in rows)
        key = rng.choice(["instances", "inputs"])
        if kind == 6:
            c.add("tensor", '{"%s": %s}' % (key, body), "text/csv")
        elif kind == 7:
            c.add("tensor", '{"dataframe_split": {"columns": [0, 1, 2, 3], "data": %s}}' % body)
        else:
            c.add("tensor", '{"%s": %s}' % (key, body))


def generate():
    rng = random.Random(SEED)
    out = {}
    reg_kinds = ["double"] * 3

    # regression and mixed: every kind of case (the same order of random draws as ever: recordings depend on it)
    for name, cols, kinds, n_tables, n_multi, n_csv in [("regression", REG, reg_kinds, 12, 30, 25), ("mixed", MIXED, MIXED_TYPES, 25, 60, 40)]:
        c = Cases(name)
        tables(c, rng, cols, kinds, n_tables)
        multi(c, rng, cols, kinds, n_multi)
        csv_cases(c, rng, cols, kinds, n_csv)
        layout(c, rng, cols, kinds)
        ctypes(c, rng, cols, kinds)
        bodies(c, rng, cols, kinds)
        out[name] = c.items

    c = Cases("mixed-proba")
    tables(c, rng, MIXED, MIXED_TYPES, 15)
    multi(c, rng, MIXED, MIXED_TYPES, 25)
    csv_cases(c, rng, MIXED, MIXED_TYPES, 10)
    out["mixed-proba"] = c.items

    c = Cases("nosig")
    names = REG + ["z\u00e9", "1", ""]
    tables(c, rng, REG, reg_kinds, 10)
    multi(c, rng, REG, reg_kinds, 25)
    csv_cases(c, rng, REG, reg_kinds, 15)
    layout(c, rng, REG, reg_kinds)
    for _ in range(10):
        cols = rng.sample(names, rng.randint(1, 4))
        c.add("table", form_body(rng.choice(FORMS), cols, table(rng, rng.sample(MIXED_TYPES, len(cols)), rng.randint(1, 3))))
    params_combos(c, rng, REG, table(rng, reg_kinds, 1), 5)
    bodies(c, rng, REG, reg_kinds)
    out["nosig"] = c.items

    c = Cases("params")
    tables(c, rng, REG, reg_kinds, 5)
    params_combos(c, rng, REG, table(rng, reg_kinds, 2), 60)
    c.add("params", csv_text(REG, table(rng, reg_kinds, 1)), "text/csv; charset=utf-8")
    out["params"] = c.items

    c = Cases("tensor")
    tensor_cases(c, rng, 70)
    ctypes(c, rng, ["a", "b", "c", "d"], reg_kinds + ["double"])
    out["tensor"] = c.items
    return out


if __name__ == "__main__":
    print_summary(generate())
