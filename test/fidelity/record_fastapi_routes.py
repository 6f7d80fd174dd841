"""Records what a real MLflow FastAPI scoring server (2.21+) answers on its routes (not run by CI; docs/fidelity.md §13).

Starlette's router decides these answers, not MLflow's parsing: HEAD on the GET routes, the 405's Allow list, the
307 of `redirect_slashes`, and the pages every FastAPI() app serves (/openapi.json, /docs, /docs/oauth2-redirect,
/redoc). Start one real server first (any model; as §13 describes), then:
  PYTHONHASHSEED=0 /usr/bin/python3 test/fidelity/record_fastapi_routes.py --port 5540 --version 3.6.1.dev0 \
      --out test/fixtures/fidelity/mlflow-3.6.1.dev0/routes.json
The server must run with PYTHONHASHSEED=0 (the Allow list is a Python set: its order follows string hashing).
Writes {"version", "cases": [{"method", "path", "content_type", "body", "answer": {"status", "headers", "body"}}]},
where `headers` keeps content-type, location (the port written as {port}), allow and content-length.
"""
import argparse
import http.client
import json

SPLIT = '{"dataframe_split": {"columns": ["age", "bmi", "bp"], "data": [[0.03, 0.06, 0.02]]}}'
CASES = [
    ("GET", "/ping", None, None), ("GET", "/health", None, None), ("GET", "/version", None, None),
    ("HEAD", "/ping", None, None), ("HEAD", "/health", None, None), ("HEAD", "/version", None, None),
    ("POST", "/ping", SPLIT, "application/json"), ("DELETE", "/version", None, None), ("OPTIONS", "/ping", None, None),
    ("PUT", "/invocations", SPLIT, "application/json"), ("HEAD", "/invocations", None, None), ("OPTIONS", "/invocations", None, None),
    ("GET", "/ping/", None, None), ("GET", "/ping//", None, None), ("PATCH", "/health/", None, None), ("GET", "/version/", None, None),
    ("POST", "/invocations/", SPLIT, "application/json"), ("POST", "/invocations/?a=1&b=%20", SPLIT, "application/json"),
    ("GET", "/openapi.json", None, None), ("GET", "/openapi.json/?q=1", None, None), ("HEAD", "/openapi.json", None, None),
    ("GET", "/docs", None, None), ("GET", "/docs/", None, None), ("HEAD", "/docs", None, None), ("POST", "/docs", None, None),
    ("GET", "/docs/oauth2-redirect", None, None), ("GET", "/docs/oauth2-redirect/", None, None), ("GET", "/redoc", None, None),
    ("GET", "/", None, None), ("GET", "//ping", None, None), ("GET", "/INVOCATIONS", None, None), ("GET", "/nope/", None, None),
    ("HEAD", "/nope", None, None), ("GET", "/invocations?x=1", None, None), ("GET", "/redoc/", None, None),
]
KEEP = ("content-type", "location", "allow", "content-length")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    cases = []
    for method, path, body, ct in CASES:
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        headers = {} if ct is None else {"Content-Type": ct}
        conn.request(method, path, body=None if body is None else body.encode("utf-8"), headers=headers)
        r = conn.getresponse()
        raw = r.read()
        kept = {k: r.getheader(k).replace(str(args.port), "{port}") for k in KEEP if r.getheader(k) is not None}
        cases.append({"method": method, "path": path, "content_type": ct, "body": body,
                      "answer": {"status": r.status, "headers": kept, "body": raw.decode("utf-8")}})
        conn.close()
    with open(args.out, "w") as f:
        json.dump({"version": args.version, "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote", len(cases), "cases")


if __name__ == "__main__":
    main()
