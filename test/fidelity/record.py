"""Records what the real MLflow scoring servers answer to every generated request (not run by CI).

Usage (Debian's python3 with the apt packages of docs/fidelity.md; MLflow source kept outside the repo):
  PYTHONHASHSEED=0 python3 test/fidelity/record.py \
      --mlflow 2.7.1=/work/ref/mlflow-2.7.1:/work/ref/dbcli --mlflow 2.12.2=/work/ref/mlflow-2.12.2 [--suite heldout|nested|rowindex|fresh|large]

--suite main (default) records generate.py into test/fixtures/fidelity/; --suite heldout records
generate_heldout.py (the freshness check: other seed, other mutation kinds) into test/fixtures/fidelity/heldout/;
--suite nested records generate_nested.py (nested column labels, 2–4 levels) into test/fixtures/fidelity/nested/;
--suite rowindex records generate_rowindex.py (a list of lists as `index`: a row MultiIndex) into
test/fixtures/fidelity/rowindex/; --suite scalars records generate_scalars.py (single values under `inputs` /
`instances`, the 2.15.0 change) into test/fixtures/fidelity/scalars/ — with all three versions, 2.16.2 included.
--out DIR writes a suite's recordings elsewhere: the MLflow 2.16.2 answers live in their own fixture sets
(test/fixtures/fidelity/mlflow-2.16.2/{main,heldout}/, docs/fidelity.md §7), recorded with
  --mlflow 2.16.2=/work/ref/stubs:/work/ref/mlflow-2.16.2 (the stub is a no-op opentelemetry: 2.13+ imports it).
--suite fresh records generate_fresh.py (what a data scientist sends: pandas
to_json/to_csv output of every orient, records with missing keys, number and string spellings, duplicated keys,
content-type parameters, params of every JSON type) into test/fixtures/fidelity/fresh/.
--suite fresh2 records generate_fresh2.py (the second freshness measure: Azure-shaped bodies, pandas' tight /
Series forms, numpy tolist() of typed arrays, Excel's CSV, unicode names, long rows, content types, duplicate keys,
number tokens) into test/fixtures/fidelity/fresh2/.
--suite fresh3 records generate_fresh3.py (the third freshness measure: bodies as Python/R clients write them, missing
values in every column and path, int32/int64/float32 bounds in every spelling, CSV dialect quirks, content-type
parameters, very wide rows, pandas' datetime output, numpy-typed params) into test/fixtures/fidelity/fresh3/.
--suite fresh4 records generate_fresh4.py (the fourth freshness measure: hand-edited bodies, deep nesting near the
recursion limit, every top-level key with every other, wrong JSON types one field at a time, per-row record shapes,
tensor shapes per named tensor, charset values, routes and methods) into test/fixtures/fidelity/fresh4/.

Builds the models with make-fidelity-models.py into a temporary folder, starts one real
`mlflow models serve` per model and version (gunicorn, --env-manager local), sends every case of
generate.py to each, and writes test/fixtures/fidelity/<model>.jsonl: one JSON object per line,
  {"id", "cls", "method", "path", "content_type", "body" | "body_b64",
   "answers": {"<version>": {"status", "content_type", "body" | "body_b64"}}}
"""

import argparse
import base64
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402
import generate_heldout  # noqa: E402
import generate_nested  # noqa: E402
import generate_rowindex  # noqa: E402
import generate_scalars  # noqa: E402
import generate_fresh  # noqa: E402
import generate_large  # noqa: E402
import generate_1x  # noqa: E402
import generate_fresh2  # noqa: E402
import generate_fresh3  # noqa: E402
import generate_fresh4  # noqa: E402

SUITES = {
    "main": (generate.generate, os.path.join(HERE, "..", "fixtures", "fidelity")),
    "heldout": (generate_heldout.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "heldout")),
    "nested": (generate_nested.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "nested")),
    "rowindex": (generate_rowindex.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "rowindex")),
    "scalars": (generate_scalars.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "scalars")),
    "fresh": (generate_fresh.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "fresh")),
    "large": (generate_large.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "large")),
    "native1x": (generate_1x.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "native1x")),
    "fresh2": (generate_fresh2.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "fresh2")),
    "fresh3": (generate_fresh3.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "fresh3")),
    "fresh4": (generate_fresh4.generate, os.path.join(HERE, "..", "fixtures", "fidelity", "fresh4")),
}


def text_or_b64(raw, key="body"):
    try:
        return {key: raw.decode("utf-8")}
    except UnicodeDecodeError:
        return {key + "_b64": base64.b64encode(raw).decode("ascii")}


STACK = "<stack trace: content not compared>"
# Models a version cannot serve: 2.7.1's (and 2.8.1's) ColSpec has no `required`, so it cannot load "required": false columns (2.10.2 on can).
ONLY_VERSIONS = {"optional": ["2.10.2", "2.12.2", "3.6.1.dev0"]}
# 2.6.0's ParamSpec.from_json_dict requires a `dtype` key (2.7 renamed it `type`, which make-fidelity-models.py writes):
# "Missing keys in ParamSpec JSON. Expected to find keys `name`, `dtype` and `default`" at load, so no server starts.
NOT_VERSIONS = {"params": ["2.6.0"]}


def compact(raw):
    """A stack_trace's content does not count (its presence does): store a marker, keep the rest byte for byte."""
    try:
        body = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(body, dict) and isinstance(body.get("stack_trace"), str):
        body["stack_trace"] = STACK
        # MLflow writes error bodies with json.dumps defaults, so re-dumping keeps every other byte.
        return json.dumps(body).encode("utf-8")
    return raw


def send(port, case):
    for attempt in range(3):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {} if case["content_type"] is None else {"Content-Type": case["content_type"]}
            # putrequest/putheader keep the header exactly as generated (http.client would add none of its own but Host/length).
            conn.putrequest(case["method"], case["path"], skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            if case["method"] == "POST":
                conn.putheader("Content-Length", str(len(case["body"])))
            conn.endheaders(case["body"] if case["method"] == "POST" else None)
            r = conn.getresponse()
            body = r.read()
            conn.close()
            return {"status": r.status, "content_type": r.getheader("Content-Type"), **text_or_b64(compact(body))}
        except (ConnectionError, http.client.HTTPException, OSError):
            time.sleep(1 + attempt)
    raise RuntimeError("no answer from port %d for %s" % (port, case["id"]))


def wait_ready(port, proc, log):
    for _ in range(240):
        if proc.poll() is not None:
            raise RuntimeError("server on %d exited; see %s" % (port, log))
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/ping")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("server on %d never answered /ping" % port)


def mlflow_cli(pythonpath):
    """`python -m mlflow`; MLflow 1.x has no mlflow/__main__.py, so its click group is called directly (the same CLI)."""
    trees = [d for d in pythonpath.split(":") if os.path.isdir(os.path.join(d, "mlflow"))]
    if trees and not os.path.exists(os.path.join(trees[0], "mlflow", "__main__.py")):
        return [sys.executable, "-c", "import sys; sys.argv[0] = 'mlflow'; from mlflow.cli import cli; cli()"]
    return [sys.executable, "-m", "mlflow"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mlflow", action="append", required=True, help="VERSION=PYTHONPATH")
    ap.add_argument("--models", default=None, help="comma-separated subset")
    ap.add_argument("--base-port", type=int, default=5400)
    ap.add_argument("--suite", choices=sorted(SUITES), default="main")
    ap.add_argument("--out", default=None, help="write the recordings here instead of the suite's folder (e.g. one version's own fixture set)")
    args = ap.parse_args()
    versions = [tuple(x.split("=", 1)) for x in args.mlflow]
    make_cases, OUT = SUITES[args.suite]
    OUT = args.out or OUT
    cases = make_cases()
    names = args.models.split(",") if args.models else list(cases)
    tmp = tempfile.mkdtemp(prefix="fidelity-models-")
    subprocess.run([sys.executable, os.path.join(HERE, "make-fidelity-models.py"), tmp], check=True)
    procs = []
    ports = {}
    env = dict(os.environ, PYTHONHASHSEED="0", MLFLOW_TRACKING_URI="file://" + os.path.join(tmp, "mlruns"))
    try:
        port = args.base_port
        for m in names:
            for v, pp in versions:
                if m in ONLY_VERSIONS and v not in ONLY_VERSIONS[m]:
                    continue
                if v in NOT_VERSIONS.get(m, []):
                    continue
                log = os.path.join(tmp, "%s-%s.log" % (m, v))
                p = subprocess.Popen(
                    mlflow_cli(pp) + ["models", "serve", "-m", os.path.join(tmp, m), "--env-manager", "local", "-p", str(port), "-h", "127.0.0.1"],
                    env=dict(env, PYTHONPATH=pp), stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True,
                )
                procs.append(p)
                ports[(m, v)] = (port, p, log)
                port += 1
        for port, p, log in ports.values():
            wait_ready(port, p, log)
        results = {}

        def work(m, v):
            port = ports[(m, v)][0]
            results[(m, v)] = [send(port, c) for c in cases[m]]

        threads = [threading.Thread(target=work, args=k) for k in ports]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        os.makedirs(OUT, exist_ok=True)
        for m in names:
            if not any((m, v) in results for v, _ in versions):
                continue  # no version here can load this model: no file of empty answers
            with open(os.path.join(OUT, m + ".jsonl"), "w") as f:
                for i, c in enumerate(cases[m]):
                    row = {"id": c["id"], "cls": c["cls"], "method": c["method"], "path": c["path"], "content_type": c["content_type"]}
                    row.update(text_or_b64(c["body"]))
                    row["answers"] = {v: results[(m, v)][i] for v, _ in versions if (m, v) in results}
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
            print("wrote", m, len(cases[m]))
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, 15)
            except ProcessLookupError:
                pass
        for p in procs:
            p.wait()


if __name__ == "__main__":
    main()
