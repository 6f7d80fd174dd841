"""Generates the SINGLE-VALUE requests of the recorded differential suite (record.py --suite scalars).

MLflow 2.15.0 changed how `inputs` / `instances` that are neither a dict nor a list are read (S2 `_cast_schema_type`,
mlflow/mlflow 9645f37, #12710; docs/fidelity.md §7): an un-named schema takes a single value, and a value that
`convert_data_type` refuses names the schema's first input. This suite asks every model for one JSON value of every
kind under both keys — numbers (signed zero, past int64, non-finite tokens), booleans, strings (numeric, empty,
unicode, a NaN word), null — plus a dict of single values per column and a one-item list, so that the three recorded
versions (2.7.1, 2.12.2, 2.16.2) pin down both sides of the change.

Deterministic (no randomness); ids are <model>/scalars/<n>. Recordings: test/fixtures/fidelity/scalars/.
"""

from generate import Cases, print_summary

SCALARS = ["1", "0", "-0.0", "1.5", "-7", "2.0", "9223372036854775808", "NaN", "Infinity", "true", "false", "null",
           '"x"', '"1"', '"1.5"', '""', '"nan"', '"\\u00e9"']
MODELS = {
    "regression": ["age", "bmi", "bp"],
    "mixed": ["n_long", "n_int", "city", "score", "flag", "amount"],
    "mixed-proba": ["n_long", "n_int", "city", "score", "flag", "amount"],
    "nosig": ["age", "bmi", "bp"],
    "params": ["age", "bmi", "bp"],
    "tensor": None,
}


def generate():
    out = {}
    for name, cols in MODELS.items():
        c = Cases(name)
        for key in ("inputs", "instances"):
            for v in SCALARS:
                c.add("scalars", '{"%s": %s}' % (key, v))
            # one value per column (a dict of scalars), and a one-item list
            for v in ("1", '"x"', "true", "null"):
                if cols:
                    c.add("scalars", '{"%s": {%s}}' % (key, ", ".join('"%s": %s' % (k, v) for k in cols)))
                c.add("scalars", '{"%s": [%s]}' % (key, v))
        if name == "params":
            for v in ("1", '"x"', "null"):
                c.add("scalars", '{"inputs": %s, "params": {"k": 2}}' % v)
        out[name] = c.items
    return out


if __name__ == "__main__":
    print_summary(generate())
