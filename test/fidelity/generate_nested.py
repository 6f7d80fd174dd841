"""Generates the NESTED-LABELS requests of the recorded differential suite (record.py --suite nested).

Nested column labels reach pandas in one payload form only: `dataframe_split` whose `columns` is a list of
lists (pandas `ensure_index` → `MultiIndex.from_arrays`). Dict keys (records, instances, inputs) and a CSV
header are always flat strings. This generator covers that form with one to four levels: level values of
every JSON type (strings, ints, floats, bools, null, repeated labels that pandas' header sparsifies), levels
of unequal length, a level that is not a list next to lists, deeper nesting, data given as rows, dicts or a
flat list, an explicit index, wide tables (pandas' display truncation), params on the params model.

Deterministic (random.Random(SEED)); ids are <model>/nested/<n>. Recordings: test/fixtures/fidelity/nested/.
"""

import json
import random

from generate import Cases, print_summary

SEED = 20261204

REG = ["age", "bmi", "bp"]
MIXED = ["n_long", "n_int", "city", "score", "flag", "amount"]
MIXED_TYPES = ["long", "integer", "string", "float", "boolean", "double"]
LEVEL_TOKENS = ['"x"', '"y"', '"age"', '"a b"', '""', "0", "1", "-3", "2.5", "-0.0", "true", "false", "null", '"\\u00e9"', '"long label name"']


def j(x):
    return json.dumps(x)


def cell(rng, kind):
    if kind == "long":
        return str(rng.choice([rng.randint(0, 100), rng.randint(-10**6, 10**6)]))
    if kind == "integer":
        return str(rng.randint(-5, 5))
    if kind == "string":
        return j(rng.choice(["paris", "tokyo", "lima", ""]))
    if kind == "float":
        return repr(round(rng.random(), rng.randint(1, 5)))
    if kind == "boolean":
        return rng.choice(["true", "false"])
    return repr(round(rng.uniform(-1, 1) * 10 ** rng.randint(-2, 3), rng.randint(0, 6)))


def level(rng, names, kind):
    """One level of labels, as JSON tokens, as long as `names`."""
    if kind == "names":
        return [j(n) for n in names]
    if kind == "same":
        return [rng.choice(['"g"', '"grp"', "1"])] * len(names)
    if kind == "runs":
        # repeated neighbours: pandas sparsifies them in the printed header
        out, cur = [], rng.choice(LEVEL_TOKENS)
        for _ in names:
            if rng.random() < 0.4:
                cur = rng.choice(LEVEL_TOKENS)
            out.append(cur)
        return out
    return [rng.choice(LEVEL_TOKENS) for _ in names]


def nested_columns(rng, names, n_levels):
    kinds = ["names"] + [rng.choice(["names", "same", "runs", "random"]) for _ in range(n_levels - 1)]
    rng.shuffle(kinds)
    return [level(rng, names, k) for k in kinds]


def split_body(levels, rows, extra=""):
    # a level given as a str is one JSON token (not a list)
    cols = "[%s]" % ", ".join(lv if isinstance(lv, str) else "[%s]" % ", ".join(lv) for lv in levels)
    data = "[%s]" % ", ".join("[%s]" % ", ".join(r) for r in rows)
    return '{"dataframe_split": {"columns": %s, "data": %s%s}}' % (cols, data, extra)


def cases_for(c, rng, names, kinds, n, params=False):
    for _ in range(n):
        n_levels = rng.choice([2, 2, 2, 3, 3, 4])
        levels = nested_columns(rng, names, n_levels)
        rows = [[cell(rng, k) for k in kinds] for _ in range(rng.randint(1, 3))]
        extra = ""
        shape = rng.randrange(12)
        if shape == 1:
            # unequal level lengths
            levels[rng.randrange(n_levels)] = levels[0][: max(0, len(names) - rng.randint(1, 2))]
        elif shape == 2:
            # a level that is not a list next to lists
            levels[rng.randrange(n_levels)] = [rng.choice(['"x"', "1", "null"])]
            levels[-1] = levels[-1][0] if levels[-1] else '"x"'
        elif shape == 3:
            # deeper nesting: lists as level values
            levels[0] = ["[%s]" % v for v in levels[0]]
        elif shape == 4:
            # fewer labels than data columns
            levels = [lv[:-1] for lv in levels]
        elif shape == 5:
            extra = ', "index": [%s]' % ", ".join(rng.choice(['"r%d"' % k, str(k * 10), "%d.5" % k]) for k in range(len(rows)))
        elif shape == 6:
            # data as dicts (pandas selects by the tuple labels) or one flat list
            body = split_body(levels, [[]], "").replace('"data": [[]]', '"data": [%s]' % ", ".join(
                "{%s}" % ", ".join("%s: %s" % (j(nm), v) for nm, v in zip(names, r)) for r in rows))
            c.add("nested", body)
            continue
        elif shape == 7:
            c.add("nested", split_body(levels, [rows[0]]).replace("[[%s]]" % ", ".join(rows[0]), "[%s]" % ", ".join(rows[0])))
            continue
        elif shape == 8:
            # wide: long labels make the printed frame wider than pandas' 80-column display
            levels.append(['"%s"' % ("w" * rng.randint(8, 16) + str(k)) for k in range(len(names))])
        body = split_body(levels, rows, extra)
        if params and rng.random() < 0.5:
            body = body[:-1] + ', "params": {"k": %s}}' % rng.choice(["1", '"x"', "2.5"])
        c.add("nested", body)


def column_models(regression, mixed, proba, nosig, params):
    """(model, column names, signature types, number of cases) of the five models that take a DataFrame."""
    return [
        ("regression", REG, ["double"] * 3, regression),
        ("mixed", MIXED, MIXED_TYPES, mixed),
        ("mixed-proba", MIXED, MIXED_TYPES, proba),
        ("nosig", REG, ["double"] * 3, nosig),
        ("params", REG, ["double"] * 3, params),
    ]


def generate():
    rng = random.Random(SEED)
    out = {}
    for name, cols, kinds, n in column_models(40, 50, 15, 40, 25):
        c = Cases(name)
        cases_for(c, rng, cols, kinds, n, params=name == "params")
        # fixed cases: empty levels, one level of several labels next to a two-level one, three levels of names
        c.add("nested", '{"dataframe_split": {"columns": [[], []], "data": []}}')
        c.add("nested", split_body([[j(x) for x in cols]] * 3, [[cell(rng, k) for k in kinds]]))
        c.add("nested", split_body([[j(x) for x in cols], ["1"] * len(cols)], [[cell(rng, k) for k in kinds] for _ in range(65)]))
        out[name] = c.items
    c = Cases("tensor")
    for _ in range(15):
        levels = nested_columns(rng, ["a", "b", "c", "d"], rng.choice([2, 3]))
        rows = [[repr(round(rng.uniform(0, 8), 2)) for _ in range(4)] for _ in range(rng.randint(1, 3))]
        c.add("nested", split_body(levels, rows))
    out["tensor"] = c.items
    return out


if __name__ == "__main__":
    print_summary(generate())
