"""Generates the LARGE-INPUT requests of the recorded differential suite (record.py --suite large).

What 2.12's messages print of a big input depends on its size: numpy summarises an array of more than 1 000
elements (`[ 0.  1.  2. ... 97. 98. 99.]`, the format taken from the shown elements only) and pandas cuts a
frame of more than 60 rows to 10, and one of more than 80 columns to 40 + 40 before fitting it to 80 characters
(docs/fidelity.md §2 "Large inputs"). Every other suite sends small tables, so this one sends: long and 2-D
`inputs`/`instances` lists of floats, ints, bools, strings and mixed magnitudes (scientific notation), many rows,
wide frames (81–400 columns, a few rows or none), and wide records.

Seeded (random.Random(20261204)); ids are <model>/large/<n>. Recordings: test/fixtures/fidelity/large/.
"""

import json
import random

from generate import Cases, print_summary

MODELS = {
    "regression": ["age", "bmi", "bp"],
    "mixed": ["n_long", "n_int", "city", "score", "flag", "amount"],
    "nosig": ["age", "bmi", "bp"],
    "tensor": None,
    # after the others: their cases come after, so the seed gives the first four the same bodies
    "mixed-proba": ["n_long", "n_int", "city", "score", "flag", "amount"],
    "params": ["age", "bmi", "bp"],
}


def j(v):
    return json.dumps(v)


def floats(rng, n, scale):
    return [float("%.*g" % (rng.randrange(1, 9), (rng.random() - 0.5) * scale)) for _ in range(n)]


def generate():
    rng = random.Random(20261204)
    out = {}
    for name, cols in MODELS.items():
        c = Cases(name)
        width = len(cols) if cols else 4
        for key in ("inputs", "instances"):
            # 1-D past the threshold: summarised, format from the 6 shown elements
            c.add("large", j({key: [i % 100 for i in range(1001)]}))
            c.add("large", j({key: floats(rng, 1300, 10 ** rng.randrange(-4, 9))}))
            c.add("large", j({key: [rng.random() < 0.5 for _ in range(1500)]}))
            c.add("large", j({key: ["s%d" % rng.randrange(10 ** rng.randrange(1, 6)) for _ in range(1200)]}))
            # 2-D: rows of the model's width, and square blocks; mixed magnitudes switch to scientific notation
            c.add("large", j({key: [floats(rng, width, 100) for _ in range(340)]}))
            c.add("large", j({key: [floats(rng, 40, 10 ** rng.randrange(-6, 10)) for _ in range(40)]}))
            c.add("large", j({key: [[rng.randrange(-10 ** 6, 10 ** 6) for _ in range(35)] for _ in range(35)]}))
            c.add("large", j({key: [[floats(rng, 12, 1e5) for _ in range(10)] for _ in range(10)]}))
        # many rows of the right columns (cut to 10 rows in a printout), as records and as a split frame
        if cols:
            rows = [[round(rng.random() * 100, rng.randrange(0, 4)) for _ in cols] for _ in range(200)]
            c.add("large", j({"dataframe_split": {"columns": cols, "data": rows}}))
            c.add("large", j({"dataframe_records": [dict(zip(cols, r)) for r in rows[:100]]}))
        # wide frames: more than 80 columns (cut to 40 + 40 first), with rows, with many rows, without rows
        for ncols in (81, 150, 400):
            names = ["c%d" % k for k in range(ncols)] if rng.random() < 0.7 else ["column_%d" % k for k in range(ncols)]
            nrows = rng.choice([1, 3, 65]) if ncols < 400 else rng.choice([1, 2])
            c.add("large", j({"dataframe_split": {"columns": names, "data": [floats(rng, ncols, 10 ** rng.randrange(0, 7)) for _ in range(nrows)]}}))
        c.add("large", j({"dataframe_split": {"columns": ["c%d" % k for k in range(120)], "data": []}}))
        c.add("large", j({"dataframe_split": {"columns": list(range(90)), "data": [[rng.randrange(100) for _ in range(90)]]}}))
        c.add("large", j({"dataframe_records": [{"k%d" % k: rng.random() for k in range(200)} for _ in range(2)]}))
        out[name] = c.items
    return out


if __name__ == "__main__":
    print_summary(generate())
