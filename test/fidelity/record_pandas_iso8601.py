"""Records what pandas 1.5.3's own ISO 8601 reader makes of generated strings (not run by CI).

Usage: /usr/bin/python3 test/fidelity/record_pandas_iso8601.py > test/fixtures/fidelity/pandas-iso8601.json

`tslib.array_to_datetime(…, require_iso8601=True)` runs only `string_to_dts` (np_datetime_strings.c
`parse_iso_8601_datetime`) and refuses what it cannot read instead of handing it to dateutil, so each answer is that
parser's alone: nanoseconds since the epoch (the zone applied), "NaT", or the refusal / bounds error's class. The
strings are every combination of the grammar's parts and their near misses (src/shared/mlflow/payload/pandas-iso8601.ts).
"""

import itertools
import json
import random

import numpy as np
import pandas as pd
from pandas._libs import tslib

YEARS = ["2024", "1999", "0000", "-2024", "24", "20240", "2262", "1677"]
SEPS = ["-", ".", "/", "\\", " ", "", "_", ":"]
MONTHS = ["01", "1", "12", "13", "00", "2", "02"]
DAYS = ["15", "5", "29", "30", "31", "00", "1"]
TIMES = ["", "T10", "T1", " 10", "T10:30", "T10:3", "T1030", "T10:30:00", "T10:30:5", "T103000", "T10:30:00.5", "T10:30:00.123456",
         "T10:30:00.1234567", "T10:30:00.123456789", "T10:30:00.123456789012345678", "T10:30:00.1234567890123456789", "T24:00", "T23:60",
         "T23:59:60", "T10:30:", "T10:", "T", " ", "T10:30:00.", "t10:30", "T10:3000", "T1030:00", "T10:30:00,5", "T23:47:16.854775807"]
ZONES = ["", "Z", "z", " Z", "+02:00", "-05:30", "+0200", "+02", "+2", "-0:3", "+02:0", "+24:00", "+02:60", "+", "Z ", " +01:00 ", "UTC", "Zx",
         "+01:00:00", "-1"]
PADS = [("", ""), ("  ", ""), ("", "  "), ("\t", "\n")]


def iso_only(s):
    try:
        r, _ = tslib.array_to_datetime(np.array([s], dtype=object), errors="raise", require_iso8601=True)
        v = r[0]
        return "NaT" if np.isnat(v) else str(int(v.astype("int64")))
    except Exception as e:  # noqa: BLE001 — the class is the observation
        return type(e).__name__


def main():
    rng = random.Random(20261212)
    strings = set()
    for y, sep, m, d in itertools.product(YEARS, SEPS, MONTHS, DAYS):
        strings.add(y + sep + m + sep + d)
    strings.update(y + sep + m for y, sep, m in itertools.product(YEARS, SEPS, MONTHS))
    strings.update(YEARS)
    for t, z in itertools.product(TIMES, ZONES):
        strings.add("2024-01-15" + t + z)
    for _ in range(400):
        a, b = rng.choice(PADS)
        strings.add(a + rng.choice(YEARS) + rng.choice(SEPS) + rng.choice(MONTHS) + rng.choice(SEPS) + rng.choice(DAYS) + rng.choice(TIMES) +
                    rng.choice(ZONES) + b)
    strings.update(["-", "", " ", "2024-", "2024-01-", "2024--01", "2024-01-15T10:30:00Z", "2262-04-11T23:47:16.854775807-01:00",
                    "1677-09-21T00:12:43.145224193", "1677-09-21T00:12:43.145224192", "2262-04-11T23:47:16.854775808", " -2024-01-01"])
    out = [[s, iso_only(s)] for s in sorted(strings)]
    print(json.dumps({"pandas": pd.__version__, "cases": out}, ensure_ascii=False, indent=0))


if __name__ == "__main__":
    main()
