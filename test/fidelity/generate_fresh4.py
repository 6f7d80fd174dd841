"""Generates the FOURTH FRESH requests of the recorded differential suite (see record.py --suite fresh4).

Written after the third fresh suite was at 100 % (after its fixes), to take docs/fidelity.md §4's freshness measure a
fourth time, with request kinds no earlier generator (generate*.py) has:
  handedit  bodies a user edits by hand: trailing commas at every level, `//` `/* */` `#` comments, single quotes,
            unquoted keys, Python literals (`None`, `True`, `False`, `nan`, `inf`) in cells and params, `Infinity` /
            `-Infinity` / `NaN` in every place, a BOM after whitespace / twice / inside, whitespace Python's json does
            and does not skip (`\\f`, `\\v`, NBSP), a second document after the first, an unterminated string
  deep      bodies nested deeply: one cell / the data / params / a column name wrapped in 10–100 000 lists or objects,
            near and over Python's recursion limit, on each input key
  keycombo  every top-level key with every other (`dataframe_split`, `dataframe_records`, `instances`, `inputs`,
            `params`, an unknown key, Azure's `input_data` / `data`), `params` alone, each key in other case or with
            blanks around it, the key order reversed
  wrongtype `columns` / `index` / `data` of `dataframe_split` (and each `dataframe_records` row, each `inputs` column)
            given each wrong JSON type one at a time: number, string, bool, null, object, list of objects, nested lists
  rowshape  `dataframe_records` / `instances` with keys missing / extra / reordered per row, rows that are lists, null,
            `{}` or scalars among dicts, the first row smaller than the rest
  tshape    (tensor and tensors models) ragged, empty, scalar and deeper shapes per named tensor, on `inputs` and
            `instances`, with a tensor missing / extra / null
  charset   `charset` values one at a time (utf8, latin-1, iso-8859-1, us-ascii, cp1252, utf-16le, utf-32, bogus, empty,
            quoted) on bodies with non-ASCII text, and content-type spellings (`Application/JSON`, `text/CSV`)
  route4    `/ping` `/health` `/version` `/invocations` with HEAD / OPTIONS / GET / POST and trailing slashes, query
            strings and bodies on the read-only routes
Uses the nine models of make-fidelity-models.py. Deterministic (seed 20261205); ids <model>/<class>/<n>.
"""

import json
import random

from generate import Cases, j, print_summary

SEED = 20261205
REG = ["age", "bmi", "bp"]
REG_ROWS = [[0.0380759064334241, 0.0616962065186885, 0.0218723549949558], [-0.00188201652779104, -0.0514740612388061, -0.0263278347173518]]
MIXED = ["n_long", "n_int", "city", "score", "flag", "amount"]
MIXED_ROWS = [[3, 1, "paris", 0.5, True, 12.5], [70, -2, "tokyo", 0.3, False, 900.0]]
IRIS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
IRIS_ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]
TYPED = ["x", "when", "blob", "n"]
TYPED_ROWS = [[0.25, "2024-01-15T10:30:00", "aGVsbG8=", 3], [1.5, "2023-12-31", "AP8=", 7]]
OPT = ["x", "n", "tag"]
OPT_ROWS = [[0.5, 1, "a"], [2.0, 2, "b"]]
CAP = {"regression": 140, "mixed": 150, "mixed-proba": 25, "nosig": 60, "params": 60, "tensor": 60, "typed": 40, "tensors": 60, "optional": 30}


def split_of(cols, rows):
    return json.dumps({"dataframe_split": {"columns": cols, "data": rows}})


def records_of(key, cols, rows):
    return json.dumps({key: [dict(zip(cols, r)) for r in rows]})


def inputs_cols(cols, rows):
    return json.dumps({"inputs": {k: [r[i] for r in rows] for i, k in enumerate(cols)}})


# ---- handedit ------------------------------------------------------------------------------------------------------

def handedit_cases(c, cols, rows):
    s = split_of(cols, rows)
    rec = records_of("dataframe_records", cols, rows)
    cols_s = inputs_cols(cols, rows)
    pretty = json.dumps({"dataframe_split": {"columns": cols, "data": rows}}, indent=2)
    # trailing commas, one level at a time
    c.add("handedit", s[:-1] + ",}")
    c.add("handedit", s.replace("]]}", "]],}"))
    c.add("handedit", s.replace("]]", "],]", 1))
    c.add("handedit", s.replace("]]", ",]]", 1))
    c.add("handedit", s.replace('"], "data"', '",], "data"', 1))
    c.add("handedit", rec.replace("}]}", "},]}"))
    c.add("handedit", rec.replace("}, {", ",}, {", 1))
    c.add("handedit", cols_s.replace("]}}", "],}}"))
    c.add("handedit", pretty.replace("\n    ]\n  }", "\n    ],\n  }"))
    c.add("handedit", s.replace("[[", "[,[", 1))
    c.add("handedit", s.replace(", ", ",, ", 1))
    # comments
    c.add("handedit", "// scoring request\n" + s)
    c.add("handedit", s + "\n// end")
    c.add("handedit", "/* rows */ " + s)
    c.add("handedit", s.replace('"data"', '/* two rows */ "data"', 1))
    c.add("handedit", "# curl -d @body.json\n" + s)
    c.add("handedit", pretty.replace('"columns": [', '"columns": [ // names', 1))
    # single quotes, unquoted keys
    c.add("handedit", s.replace('"', "'"))
    c.add("handedit", s.replace('"dataframe_split"', "'dataframe_split'"))
    c.add("handedit", s.replace('"dataframe_split"', "dataframe_split").replace('"columns"', "columns").replace('"data"', "data"))
    c.add("handedit", s.replace('"data"', "data"))
    c.add("handedit", s.replace('"%s"' % cols[0], "'%s'" % cols[0], 1))
    c.add("handedit", rec.replace('"%s"' % cols[-1], "%s" % cols[-1]))
    # Python literals and other non-JSON words, one cell at a time
    for tok in ["None", "True", "False", "nan", "inf", "-inf", "NULL", "Null", "TRUE", "undefined", "Infinity", "-Infinity", "NaN",
                "+Infinity", "-nan", "Nan", "infinity", "true", "null"]:
        r = [[j(v) for v in row] for row in rows]
        r[0][0] = tok
        c.add("handedit", '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), ", ".join("[%s]" % ", ".join(x) for x in r)))
        r = [[j(v) for v in row] for row in rows]
        r[-1][-1] = tok
        c.add("handedit", '{"dataframe_records": [%s]}' % ", ".join("{%s}" % ", ".join("%s: %s" % (j(k), v) for k, v in zip(cols, x)) for x in r))
    c.add("handedit", s[:-1] + ', "params": None}')
    c.add("handedit", s[:-1] + ', "params": {"k": True}}')
    c.add("handedit", s.replace('"dataframe_split"', '"dataframe_split"', 1).replace('"columns": ', '"columns": None, "c": ', 1))
    c.add("handedit", '{"dataframe_split": {"columns": %s, "data": %s, "index": None}}' % (j(cols), j(rows)))
    c.add("handedit", '{"dataframe_split": {"columns": %s, "data": %s, "index": NaN}}' % (j(cols), j(rows)))
    c.add("handedit", '{"dataframe_split": {"columns": %s, "data": %s, "index": [NaN, Infinity]}}' % (j(cols), j(rows)))
    c.add("handedit", '{"dataframe_split": {"columns": [NaN%s], "data": %s}}' % (", %s" % j(cols[1:])[1:-1] if len(cols) > 1 else "", j(rows)))
    c.add("handedit", '{"dataframe_split": NaN}')
    c.add("handedit", '{"inputs": Infinity}')
    c.add("handedit", '{"instances": -Infinity}')
    c.add("handedit", "NaN")
    c.add("handedit", "[NaN]")
    # BOMs and whitespace
    c.add("handedit", " \ufeff" + s)
    c.add("handedit", "\ufeff\ufeff" + s)
    c.add("handedit", s.replace(", ", ", \ufeff", 1))
    c.add("handedit", "\n\n" + s + "\n\n")
    c.add("handedit", s.replace(" ", "\t"))
    c.add("handedit", s.replace(" ", "\r\n"))
    c.add("handedit", s.replace(" ", "\f", 1))
    c.add("handedit", s.replace(" ", "\v", 1))
    c.add("handedit", s.replace(" ", "\u00a0", 1))
    c.add("handedit", s.replace(" ", "\u2028", 1))
    c.add("handedit", s + "\x00")
    c.add("handedit", s + " " + s)
    c.add("handedit", s + "\n" + s)
    c.add("handedit", s + "}")
    c.add("handedit", s + "]")
    c.add("handedit", s[:-2])
    c.add("handedit", s.replace('"data"', '"data', 1))
    c.add("handedit", s.replace('"%s"' % cols[0], '"%s\n"' % cols[0], 1))
    c.add("handedit", s.replace('"%s"' % cols[0], '"%s\\x41"' % cols[0], 1))
    c.add("handedit", s.replace('"%s"' % cols[0], '"%s\\u00"' % cols[0], 1))
    c.add("handedit", s.replace('"%s"' % cols[0], '"%s\\ud800"' % cols[0], 1))
    c.add("handedit", s.replace('"%s"' % cols[0], '"\\u0061%s"' % cols[0][1:], 1))
    c.add("handedit", s.replace(":", " : "))
    c.add("handedit", s.replace(":", "="))


# ---- deep ----------------------------------------------------------------------------------------------------------

DEPTHS = [10, 100, 500, 900, 960, 980, 990, 995, 1000, 1010, 1100, 3000, 100000]


def deep_cases(c, cols, rows, rng, count):
    picks = []
    for d in DEPTHS:
        picks += [("cell", d), ("data", d), ("params", d), ("objparams", d), ("inputs", d), ("instances", d), ("colname", d), ("objcell", d),
                  ("top", d), ("records", d)]
    for where, d in sorted(rng.sample(picks, min(count, len(picks))), key=lambda p: (p[0], p[1])):
        r = [[j(v) for v in row] for row in rows]
        if where == "cell":
            r[0][0] = "[" * d + r[0][0] + "]" * d
            body = '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), ", ".join("[%s]" % ", ".join(x) for x in r))
        elif where == "objcell":
            r[0][-1] = '{"a": ' * d + r[0][-1] + "}" * d
            body = '{"dataframe_split": {"columns": %s, "data": [%s]}}' % (j(cols), ", ".join("[%s]" % ", ".join(x) for x in r))
        elif where == "data":
            body = '{"dataframe_split": {"columns": %s, "data": %s%s%s}}' % (j(cols), "[" * d, j(rows), "]" * d)
        elif where == "params":
            body = '{"dataframe_split": {"columns": %s, "data": %s}, "params": {"k": %s1%s}}' % (j(cols), j(rows), "[" * d, "]" * d)
        elif where == "objparams":
            body = '{"dataframe_split": {"columns": %s, "data": %s}, "params": %s1%s}' % (j(cols), j(rows), '{"k": ' * d, "}" * d)
        elif where == "inputs":
            body = '{"inputs": %s%s%s}' % ("[" * d, j(rows), "]" * d)
        elif where == "instances":
            body = '{"instances": %s%s%s}' % ("[" * d, j([dict(zip(cols, x)) for x in rows]), "]" * d)
        elif where == "records":
            body = '{"dataframe_records": [%s%s%s]}' % ('{"x": ' * d, j(dict(zip(cols, rows[0]))), "}" * d)
        elif where == "colname":
            body = '{"dataframe_split": {"columns": [%s%s%s%s], "data": %s}}' % ("[" * d, j(cols[0]), "]" * d,
                                                                                 "".join(", " + j(k) for k in cols[1:]), j(rows))
        else:  # top
            body = "[" * d + split_of(cols, rows) + "]" * d
        c.add("deep", body)


# ---- keycombo ------------------------------------------------------------------------------------------------------

def keycombo_cases(c, cols, rows, params):
    vals = {
        "dataframe_split": {"columns": cols, "data": rows},
        "dataframe_records": [dict(zip(cols, r)) for r in rows],
        "instances": [dict(zip(cols, r)) for r in rows],
        "inputs": {k: [r[i] for r in rows] for i, k in enumerate(cols)},
        "params": params,
        "foo": 1,
        "input_data": {"columns": cols, "data": rows},
        "data": rows,
    }
    keys = list(vals)
    for a in range(len(keys)):
        for b in range(a + 1, len(keys)):
            c.add("keycombo", json.dumps({keys[a]: vals[keys[a]], keys[b]: vals[keys[b]]}))
    for key in ["dataframe_split", "instances", "inputs"]:
        c.add("keycombo", json.dumps({"params": params, key: vals[key]}))
        c.add("keycombo", json.dumps({key: vals[key], "params": params, "foo": None}))
        c.add("keycombo", json.dumps({key: vals[key], "params": None}))
        c.add("keycombo", json.dumps({key: vals[key], "params": {}}))
    c.add("keycombo", json.dumps({"params": params}))
    c.add("keycombo", json.dumps({"params": params, "foo": 1}))
    c.add("keycombo", json.dumps({"dataframe_split": vals["dataframe_split"], "dataframe_records": vals["dataframe_records"], "params": params}))
    c.add("keycombo", json.dumps({"inputs": vals["inputs"], "instances": vals["instances"], "dataframe_split": vals["dataframe_split"]}))
    for spelled in ["Inputs", "INSTANCES", "dataframe-split", "dataframeSplit", " inputs", "inputs ", "input", "instance", "Params",
                    "dataframe_split\u200b", "ｉｎｐｕｔｓ", "dataframe_record", "dataframe_records "]:
        base = spelled.strip().lower().replace("-", "_").replace("\u200b", "").replace("split", "_split").replace("__", "_")
        base = {"dataframesplit": "dataframe_split", "dataframe_split": "dataframe_split", "input": "inputs", "instance": "instances",
                "dataframe_record": "dataframe_records"}.get(base, base)
        if base not in vals:
            base = "inputs"
        c.add("keycombo", json.dumps({spelled: vals[base]}))
        c.add("keycombo", json.dumps({spelled: vals[base], "params": params}))
    c.add("keycombo", json.dumps({"inputs": vals["inputs"], "Params": params}))


# ---- wrongtype -----------------------------------------------------------------------------------------------------

WRONG = [1, 1.5, "x", "", True, False, None, {}, {"a": 1}, [], [[]], [{"a": 1}], [[1, 2]], [None], -1]


def wrongtype_cases(c, cols, rows):
    for w in WRONG:
        c.add("wrongtype", json.dumps({"dataframe_split": {"columns": w, "data": rows}}))
        c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": w}}))
        c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": rows, "index": w}}))
    for w in [1, "x", None, True, [1], {"a": 1}]:
        c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": [w] + rows[1:]}}))
        c.add("wrongtype", json.dumps({"dataframe_split": {"columns": [w] + cols[1:], "data": rows}}))
        c.add("wrongtype", json.dumps({"dataframe_records": [w] + [dict(zip(cols, r)) for r in rows[1:]]}))
        c.add("wrongtype", json.dumps({"inputs": dict({k: [r[i] for r in rows] for i, k in enumerate(cols)}, **{cols[-1]: w})}))
        c.add("wrongtype", json.dumps({"instances": [dict(zip(cols, rows[0])), w]}))
    c.add("wrongtype", json.dumps({"dataframe_split": {"columns": {k: k for k in cols}, "data": rows}}))
    c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": {str(i): r for i, r in enumerate(rows)}}}))
    c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": [dict(zip(cols, r)) for r in rows]}}))
    c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": rows, "index": {"0": 0, "1": 1}}}))
    c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": rows, "index": [[0], [1]]}}))
    c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": rows, "index": [None, None]}}))
    c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": rows, "index": [True, False]}}))
    c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": rows, "index": [0.5, 1.5]}}))
    c.add("wrongtype", json.dumps({"dataframe_split": {"columns": cols, "data": rows, "index": [{"a": 1}, {}]}}))


# ---- rowshape ------------------------------------------------------------------------------------------------------

def rowshape_cases(c, cols, rows, rng, count):
    n = len(cols)
    three = rows + [rows[0]]
    out = []
    for key in ["dataframe_records", "instances"]:
        for ri in range(3):
            for ci in range(n):
                r = [dict(zip(cols, x)) for x in three]
                del r[ri][cols[ci]]
                out.append({key: r})
            r = [dict(zip(cols, x)) for x in three]
            r[ri]["extra_%d" % ri] = 1
            out.append({key: r})
            r = [dict(zip(cols, x)) for x in three]
            r[ri] = dict(reversed(list(r[ri].items())))
            out.append({key: r})
            for odd in [None, {}, [], 1, "x", list(three[ri])]:
                r = [dict(zip(cols, x)) for x in three]
                r[ri] = odd
                out.append({key: r})
        r = [dict(zip(cols, x)) for x in three]
        r[0] = {cols[0]: three[0][0]}
        out.append({key: r})
        r = [dict(zip(cols, x)) for x in three]
        r[1] = dict(r[1], **{"extra_a": 1, "extra_b": None})
        r[2] = dict(r[2], **{"extra_b": 2})
        out.append({key: r})
        r = [dict(zip(cols, x)) for x in three]
        for x in r:
            x.pop(cols[-1])
        out.append({key: r})
        r = [dict(zip(cols, x)) for x in three]
        r[0] = dict((k.upper(), v) for k, v in r[0].items())
        out.append({key: r})
    for body in sorted(rng.sample(range(len(out)), min(count, len(out)))):
        c.add("rowshape", json.dumps(out[body]))


# ---- tshape --------------------------------------------------------------------------------------------------------

def tshape_named(c):
    a = [[1.5, 2.0], [0.25, -3.0]]
    b = [3, 7]
    shapes_a = [a, [[1.5, 2.0], [0.25]], [[1.5, 2.0, 9.0], [0.25, -3.0, 1.0]], [], [[]], [[], []], 1.5, [1.5, 2.0], [[[1.5, 2.0]], [[0.25, -3.0]]],
                [[1.5, 2.0]], [[1.5], [2.0]], [[1.5, [2.0]], [0.25, -3.0]], [[1.5, 2.0], 0.25], None, [None, None], [[None, None], [None, None]],
                [["1.5", "2.0"], ["0.25", "-3.0"]], [[True, False], [False, True]]]
    shapes_b = [b, [], 3, [[3], [7]], [3, 7, 9], [3], [[3, 7]], [3.5, 7], [None, 7], None, [[]], ["3", "7"], [True, False]]
    for sa in shapes_a:
        c.add("tshape", json.dumps({"inputs": {"a": sa, "b": b}}))
    for sb in shapes_b:
        c.add("tshape", json.dumps({"inputs": {"a": a, "b": sb}}))
    for sa, sb in [([], []), (1.5, 3), ([[1.5, 2.0]], [3, 7]), ([[1.5, 2.0], [0.25, -3.0], [1.0, 1.0]], [3]), ([[]], [[]])]:
        c.add("tshape", json.dumps({"inputs": {"a": sa, "b": sb}}))
        c.add("tshape", json.dumps({"instances": {"a": sa, "b": sb}}))
    c.add("tshape", json.dumps({"inputs": {"a": a}}))
    c.add("tshape", json.dumps({"inputs": {"b": b}}))
    c.add("tshape", json.dumps({"inputs": {"a": a, "b": b, "c": [1, 2]}}))
    c.add("tshape", json.dumps({"inputs": {}}))
    c.add("tshape", json.dumps({"inputs": {"A": a, "b": b}}))
    for inst in [[{"a": a[0], "b": b[0]}, {"a": a[1]}], [{"a": a[0], "b": b[0]}, {"a": [0.25], "b": 7}], [{"a": a[0], "b": b[0]}, {"a": a[1], "b": [7]}],
                 [{"a": [], "b": b[0]}, {"a": [], "b": b[1]}], [{"a": a[0], "b": b[0]}], [{"a": a[0], "b": None}, {"a": a[1], "b": 7}],
                 [{"a": a[0], "b": b[0]}, {"a": a[1], "b": b[1], "c": 1}], [{"a": [a[0]], "b": [b[0]]}, {"a": [a[1]], "b": [b[1]]}],
                 [{"b": b[0], "a": a[0]}, {"a": a[1], "b": b[1]}], [{"a": 1.5, "b": 3}, {"a": 2.0, "b": 7}], [], [{}], [{"a": a[0], "b": b[0]}, []]]:
        c.add("tshape", json.dumps({"instances": inst}))
    c.add("tshape", json.dumps({"inputs": [{"a": a[0], "b": b[0]}, {"a": a[1], "b": b[1]}]}))
    c.add("tshape", json.dumps({"inputs": [{"a": a[0], "b": b[0]}, {"a": [0.25], "b": b[1]}]}))
    c.add("tshape", json.dumps({"inputs": [a, b]}))
    c.add("tshape", json.dumps({"inputs": a}))
    c.add("tshape", json.dumps({"dataframe_split": {"columns": ["a", "b"], "data": [[a[0], b[0]], [a[1], b[1]]]}}))
    c.add("tshape", json.dumps({"dataframe_records": [{"a": a[0], "b": b[0]}, {"a": a[1], "b": b[1]}]}))


def tshape_iris(c):
    for body in [[], [[]], [[], []], 5.1, [5.1, 3.5, 1.4, 0.2], [[5.1, 3.5, 1.4]], [[5.1, 3.5, 1.4, 0.2, 9.9]], [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0]],
                 [[[5.1, 3.5, 1.4, 0.2]]], [[[5.1], [3.5], [1.4], [0.2]]], [[5.1, 3.5, 1.4, [0.2]]], [[5.1, 3.5, 1.4, 0.2], 6.7],
                 [[5.1, 3.5, 1.4, None]], [[None, None, None, None]], [["5.1", "3.5", "1.4", "0.2"]], [[True, False, True, False]],
                 [[5.1, 3.5, 1.4, 0.2]] * 3, [[0, 0, 0, 0]], [[5.1, 3.5, 1.4, 0.2], [[6.7, 3.0, 5.2, 2.3]]]]:
        c.add("tshape", json.dumps({"inputs": body}))
        c.add("tshape", json.dumps({"instances": body}))
    for named in [{"x": IRIS_ROWS}, {"x": IRIS_ROWS[0]}, {"x": [], "y": []}, {"x": IRIS_ROWS, "y": IRIS_ROWS}]:
        c.add("tshape", json.dumps({"inputs": named}))


# ---- charset -------------------------------------------------------------------------------------------------------

CHARSETS = ["utf8", "UTF8", "utf_8", "latin-1", "latin1", "iso-8859-1", "ISO-8859-15", "us-ascii", "ascii", "cp1252", "windows-1252",
            "utf-16le", "utf-16be", "utf-32", "bogus", "", '""', "'utf-8'", "utf-8 ", "utf-8;", "utf-8, latin-1", "unicode-1-1-utf-8"]


def charset_cases(c, cols, rows, text_col, rng, count):
    rows_u = [list(r) for r in rows]
    if text_col is not None:
        rows_u[0][cols.index(text_col)] = "zürich"
        rows_u[1][cols.index(text_col)] = "東京"
    js = json.dumps({"dataframe_split": {"columns": cols, "data": rows_u}}, ensure_ascii=False)
    ja = json.dumps({"dataframe_split": {"columns": cols, "data": rows_u}})
    cs = ",".join(cols) + "\n" + "\n".join(",".join("true" if v is True else "false" if v is False else str(v) for v in r) for r in rows_u) + "\n"
    picks = [(cs_, form) for cs_ in CHARSETS for form in ["json", "jsonascii", "csv", "jsonlatin1", "csvlatin1"]]
    for cs_, form in sorted(rng.sample(picks, min(count, len(picks))), key=lambda p: (CHARSETS.index(p[0]), p[1])):
        if form in ("jsonlatin1", "csvlatin1"):
            body = (js if form == "jsonlatin1" else cs).replace("東京", "tokyo").encode("latin-1")
        else:
            body = {"json": js, "jsonascii": ja, "csv": cs}[form].encode("utf-8")
        kind = "text/csv" if form.startswith("csv") else "application/json"
        c.add("charset", body, "%s; charset=%s" % (kind, cs_))
    for ct in ["Application/JSON", "APPLICATION/JSON; CHARSET=UTF-8", "application/JSON;charset=utf-8", "Text/Csv", "text/CSV; Charset=UTF-8",
               "application/json;charset=utf-8;charset=latin-1", "application/json; charset=utf-8; charset=bogus", "application/json; Charset=bogus"]:
        c.add("charset", (cs if "csv" in ct.lower() else js).encode("utf-8"), ct)


# ---- route4 --------------------------------------------------------------------------------------------------------

def route4_cases(c, body):
    for m in ["HEAD", "OPTIONS"]:
        for p in ["/health", "/version", "/ping?x=1", "/health/", "/invocations/", "/version?", "/", "/ping/"]:
            c.add("route4", b"", None, m, p)
    for p in ["/ping", "/health", "/version"]:
        c.add("route4", body, "application/json", "POST", p)
        c.add("route4", body, "application/json", "GET", p)
        c.add("route4", b"", "text/csv", "GET", p + "?format=json")
    for p in ["/invocations?a=1&a=2", "/invocations?content_type=text/csv", "/invocations#frag", "/invocations?%ff", "/invocations?x=%00"]:
        c.add("route4", body, "application/json", "POST", p)
    c.add("route4", body, "application/json", "GET", "/invocations")
    c.add("route4", body, "application/json", "OPTIONS", "/invocations")
    c.add("route4", body, "application/json", "PUT", "/invocations")


def generate():
    rng = random.Random(SEED)
    out = {}

    c = Cases("regression")
    handedit_cases(c, REG, REG_ROWS)
    deep_cases(c, REG, REG_ROWS, rng, 40)
    keycombo_cases(c, REG, REG_ROWS, {"k": 2})
    wrongtype_cases(c, REG, REG_ROWS)
    rowshape_cases(c, REG, REG_ROWS, rng, 30)
    charset_cases(c, REG, REG_ROWS, None, rng, 10)
    route4_cases(c, split_of(REG, REG_ROWS).encode())
    out["regression"] = c.items

    c = Cases("mixed")
    handedit_cases(c, MIXED, MIXED_ROWS)
    deep_cases(c, MIXED, MIXED_ROWS, rng, 25)
    keycombo_cases(c, MIXED, MIXED_ROWS, {"k": 2})
    wrongtype_cases(c, MIXED, MIXED_ROWS)
    rowshape_cases(c, MIXED, MIXED_ROWS, rng, 50)
    charset_cases(c, MIXED, MIXED_ROWS, "city", rng, 45)
    out["mixed"] = c.items

    c = Cases("mixed-proba")
    keycombo_cases(c, MIXED, MIXED_ROWS, {})
    rowshape_cases(c, MIXED, MIXED_ROWS, rng, 15)
    charset_cases(c, MIXED, MIXED_ROWS, "city", rng, 10)
    out["mixed-proba"] = c.items

    c = Cases("nosig")
    handedit_cases(c, REG, REG_ROWS)
    keycombo_cases(c, REG, REG_ROWS, {"k": 2})
    wrongtype_cases(c, REG, REG_ROWS)
    rowshape_cases(c, REG, REG_ROWS, rng, 20)
    deep_cases(c, REG, REG_ROWS, rng, 10)
    out["nosig"] = c.items

    c = Cases("params")
    keycombo_cases(c, REG, REG_ROWS, {"k": 3, "mode": "slow"})
    deep_cases(c, REG, REG_ROWS, rng, 25)
    for tok in ["None", "True", "False", "nan", "NaN", "Infinity", "-Infinity", "'slow'", "[1, 2,]", "[1 2]", "{}", "[]"]:
        for name in ["k", "temperature", "mode", "verbose", "ids"]:
            c.add("handedit", '{"dataframe_split": {"columns": %s, "data": %s}, "params": {"%s": %s}}' % (j(REG), j(REG_ROWS), name, tok))
    c.add("handedit", '{"dataframe_split": {"columns": %s, "data": %s}, "params": {"k": 2,}}' % (j(REG), j(REG_ROWS)))
    c.add("handedit", '{"dataframe_split": {"columns": %s, "data": %s}, "params": {k: 2}}' % (j(REG), j(REG_ROWS)))
    c.add("handedit", '{"dataframe_split": {"columns": %s, "data": %s}, "params": {"K": 2, "Mode": "slow"}}' % (j(REG), j(REG_ROWS)))
    out["params"] = c.items

    c = Cases("tensor")
    tshape_iris(c)
    deep_cases(c, IRIS, IRIS_ROWS, rng, 15)
    out["tensor"] = c.items

    c = Cases("typed")
    keycombo_cases(c, TYPED, TYPED_ROWS, {"k": 2})
    rowshape_cases(c, TYPED, TYPED_ROWS, rng, 25)
    wrongtype_cases(c, TYPED, TYPED_ROWS)
    out["typed"] = c.items

    c = Cases("tensors")
    tshape_named(c)
    deep_cases(c, ["a", "b"], [[[1.5, 2.0], 3], [[0.25, -3.0], 7]], rng, 10)
    keycombo_cases(c, ["a", "b"], [[[1.5, 2.0], 3], [[0.25, -3.0], 7]], {"k": 2})
    out["tensors"] = c.items

    c = Cases("optional")
    rowshape_cases(c, OPT, OPT_ROWS, rng, 30)
    wrongtype_cases(c, OPT, OPT_ROWS)
    keycombo_cases(c, OPT, OPT_ROWS, {})
    out["optional"] = c.items

    # A seeded sample of each model's cases, in generation order (~600 requests per version).
    pick = random.Random(SEED + 1)
    for name, items in out.items():
        keep = sorted(pick.sample(range(len(items)), min(CAP[name], len(items))))
        out[name] = [items[i] for i in keep]
    return out


if __name__ == "__main__":
    print_summary(generate())
