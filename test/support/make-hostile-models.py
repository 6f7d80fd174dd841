"""Builds MLflow folders whose models misbehave with processes and stderr, for the hardening tests.

Usage: python3 make-hostile-models.py <out-dir>

Writes, under <out-dir> (laid out like make-sklearn-model.py's folders, whose `save` it reuses):
  spawner/   predict(X) does what X["action"][0] says:
               "hang"     starts `sleep 300` (it inherits the worker's stdout/stderr, as a model's
                          helper process would) and then sleeps itself, so a timeout has to kill both;
               "detach"   starts `sleep 300` the same way and returns at once (the helper outlives the
                          call, keeping the worker's pipes open after the worker exits);
               "progress" writes a progress bar to stderr: many "\\r"-separated updates and no newline;
               "ok"       returns x * 2.
  The pid file <out-dir>/helper.pid receives the helper's pid, so a test can check that it was killed.
"""

import importlib.util
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_sklearn_model", os.path.join(here, "make-sklearn-model.py"))
base = importlib.util.module_from_spec(spec)
spec.loader.exec_module(base)


class Spawner:
    def __init__(self, pid_file):
        self.pid_file = pid_file

    def _helper(self):
        import subprocess

        p = subprocess.Popen(["sleep", "300"])
        with open(self.pid_file, "w") as f:
            f.write(str(p.pid))
        return p

    def predict(self, X):
        import sys as _sys
        import time as _time

        import numpy as _np

        action = X["action"].iloc[0]
        if action == "hang":
            self._helper()
            _time.sleep(300)
        if action == "detach":
            self._helper()
            return _np.array([1.0])
        if action == "progress":
            n = int(X["x"].iloc[0])
            for i in range(n):
                _sys.stderr.write("\rscoring %d/%d [%s]" % (i + 1, n, "#" * (i % 50)))
            _sys.stderr.flush()
            return _np.array([float(n)])
        return X["x"].to_numpy() * 2


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    base.save(
        os.path.join(out, "spawner"),
        Spawner(os.path.join(out, "helper.pid")),
        json.dumps([{"type": "string", "name": "action", "required": True}, {"type": "double", "name": "x", "required": True}]),
        None,
    )


if __name__ == "__main__":
    main()
