"""Generates the ROW-MULTIINDEX requests of the recorded differential suite (record.py --suite rowindex).

A nested row index reaches pandas in one payload form only: `dataframe_split` whose `index` is a list of lists
(pandas `ensure_index` → `MultiIndex.from_arrays`, as long as its first level). 2.12 prints the frame — row
MultiIndex included — in its enforcement errors, so most cases leave out a signature column ("Model is missing
inputs") or give nested column labels, which make the server print it; some carry a wrong cell instead (refused
while parsing, before any printout). Covered: two or three levels of strings,
ints, floats, bools and nulls, runs of repeated labels (pandas sparsifies them), long labels (display.max_colwidth,
the 80-column fit), more than 60 rows (head and tail kept), a nested column header too, one data row broadcast to
a longer index, levels of unequal length, a first level whose length is not the row count, lists among flat
labels, lists as level values, data given as dicts, params on the params model.

Deterministic (random.Random(SEED)); ids are <model>/rowindex/<n>. Recordings: test/fixtures/fidelity/rowindex/.
"""

import json
import random

from generate import Cases, print_summary
from generate_nested import cell, column_models

SEED = 20261205

TOKENS = ['"a"', '"b"', '"grp"', '"a b"', '""', "0", "1", "2", "-3", "12", "2.5", "-0.0", "1e-07", "1234567.5",
          "true", "false", "null", '"\\u00e9"', '"long label name"']
BAD = {"double": '"x"', "long": '"x"', "integer": "2.5", "string": "[1]", "float": '"x"', "boolean": '"x"'}


def j(x):
    return json.dumps(x)


def level(rng, n, kind):
    """One level of row labels, as JSON tokens, `n` long."""
    if kind == "seq":
        return [str(k * rng.choice([1, 1, 10, -1])) for k in range(n)]
    if kind == "floats":
        return [repr(round(rng.uniform(-50, 50), rng.randint(0, 3))) for _ in range(n)]
    if kind == "bools":
        return [rng.choice(["true", "false"]) for _ in range(n)]
    if kind == "long":
        return [j("r%d-%s" % (k, "w" * rng.randint(10, 60))) for k in range(n)]
    if kind == "runs":
        # repeated neighbours: pandas blanks a label equal to the one above it (and to every level's to its left)
        out, cur = [], rng.choice(TOKENS)
        for _ in range(n):
            if rng.random() < 0.35:
                cur = rng.choice(TOKENS)
            out.append(cur)
        return out
    if kind == "same":
        return [rng.choice(['"g"', "1", "2.5", "true"])] * n
    if kind == "withnull":
        base = level(rng, n, rng.choice(["seq", "floats", "bools", "runs"]))
        return [("null" if rng.random() < 0.3 else t) for t in base]
    return [rng.choice(TOKENS) for _ in range(n)]


KINDS = ["seq", "floats", "bools", "long", "runs", "runs", "same", "withnull", "withnull", "random"]


def row_levels(rng, n):
    kinds = ["runs"] + [rng.choice(KINDS) for _ in range(rng.choice([1, 1, 2]))]
    rng.shuffle(kinds)
    return [level(rng, n, k) for k in kinds]


def lists(levels):
    return "[%s]" % ", ".join(lv if isinstance(lv, str) else "[%s]" % ", ".join(lv) for lv in levels)


def body(columns, rows, index, extra=""):
    data = "[%s]" % ", ".join("[%s]" % ", ".join(r) for r in rows)
    return '{"dataframe_split": {"columns": %s, "data": %s, "index": %s}%s}' % (columns, data, index, extra)


def cases_for(c, rng, names, kinds, n, params=False):
    for _ in range(n):
        nrows = rng.choice([1, 2, 3, 4, 5, 61, 64, 70]) if rng.random() < 0.25 else rng.randint(1, 5)
        rows = [[cell(rng, k) for k in kinds] for _ in range(nrows)]
        fault = rng.random()
        shown = list(names)
        if fault < 0.55:
            # a missing column: 2.12's "Failed to enforce schema of data '<frame>'" prints the frame
            gone = rng.randrange(len(names))
            shown = names[:gone] + names[gone + 1:]
            rows = [r[:gone] + r[gone + 1:] for r in rows]
        elif fault < 0.7:
            # one wrong cell (refused while parsing, before the frame is printed)
            r, col = rng.randrange(nrows), rng.randrange(len(kinds))
            rows[r][col] = BAD[kinds[col]]
        levels = row_levels(rng, nrows)
        columns = "[%s]" % ", ".join(j(x) for x in shown)
        extra = ""
        shape = rng.randrange(14)
        if shape == 1:
            # unequal level lengths
            levels[-1] = levels[-1][:-1]
        elif shape == 2:
            # the first level's length is not the row count (pandas' "Length of values" check)
            levels = [lv + [rng.choice(TOKENS)] for lv in levels]
        elif shape == 3:
            # one data row and a longer index: pandas repeats the row
            rows = rows[:1]
            levels = row_levels(rng, rng.randint(2, 4))
        elif shape == 4:
            # a list among flat labels: a plain Index holding a list
            levels = [levels[0][0]] + levels[1:]
        elif shape == 5:
            # lists as level values: unhashable
            levels[0] = ["[%s]" % t for t in levels[0]]
        elif shape in (6, 7):
            # nested column labels too (their tuples match no input: the frame is printed)
            columns = lists([[j(x) for x in shown]] + [[rng.choice(['"g"', '"h"', "1"]) for _ in shown] for _ in range(shape - 5)])
        elif shape == 8:
            # data as dicts: pandas selects the columns by name, the index labels the rows
            data = "[%s]" % ", ".join("{%s}" % ", ".join("%s: %s" % (j(nm), v) for nm, v in zip(shown, r)) for r in rows)
            c.add("rowindex", '{"dataframe_split": {"columns": %s, "data": %s, "index": %s}}' % (columns, data, lists(levels)))
            continue
        elif shape == 9:
            # wide row labels: the index alone nears pandas' 80-column display
            levels = [level(rng, nrows, "long") for _ in range(rng.choice([2, 3]))]
        elif shape == 10:
            # one level only
            levels = levels[:1]
        if params and rng.random() < 0.5:
            extra = ', "params": {"k": %s}' % rng.choice(["1", '"x"', "2.5"])
        c.add("rowindex", body(columns, rows, lists(levels), extra))


def generate():
    rng = random.Random(SEED)
    out = {}
    for name, cols, kinds, n in column_models(40, 50, 10, 15, 15):
        c = Cases(name)
        cases_for(c, rng, cols, kinds, n, params=name == "params")
        # fixed cases: empty levels; a row MultiIndex of 65 rows, the first column left out (the frame is printed cut)
        c.add("rowindex", '{"dataframe_split": {"columns": %s, "data": [], "index": [[], []]}}' % j(cols))
        rows = [[cell(rng, k) for k in kinds] for _ in range(65)]
        rows = [r[1:] for r in rows]
        c.add("rowindex", body(j(cols[1:]), rows, lists([[j("g%d" % (k // 7)) for k in range(65)], [str(k % 7) for k in range(65)]])))
        out[name] = c.items
    c = Cases("tensor")
    for _ in range(10):
        nrows = rng.randint(1, 3)
        rows = [[repr(round(rng.uniform(0, 8), 2)) for _ in range(4)] for _ in range(nrows)]
        c.add("rowindex", body(j(["a", "b", "c", "d"]), rows, lists(row_levels(rng, nrows))))
    out["tensor"] = c.items
    return out


if __name__ == "__main__":
    print_summary(generate())
