/**
 * Whether Debian's Python (or PREFLIGHT_TEST_PYTHON) can build and run the scikit-learn test models, and if not why.
 * Its own module so the integration tests' global setup can ask once per run without loading the test helpers.
 */
import { spawnSync } from 'node:child_process';

export const SYSTEM_PYTHON = process.env.PREFLIGHT_TEST_PYTHON ?? '/usr/bin/python3';

/**
 * Asked once per test run by the integration tests' global setup (an import of the whole stack costs ~1.3 s of CPU).
 * The import is given two minutes: on a loaded machine (load 28 seen while helpers ran) 20 s ran out, and every
 * scikit-learn suite skipped as if the packages were missing. In CI, which installs them, a reason is a failure.
 */
export function skipReason(): string | null {
  const reason = askPython();
  if (reason !== null && process.env.CI) throw new Error(`CI installs Debian's scikit-learn stack, yet: ${reason}`);
  return reason;
}

function askPython(): string | null {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import sklearn, pandas, numpy, cloudpickle, yaml'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `${SYSTEM_PYTHON} cannot run (${r.error.message}); install python3 with python3-sklearn`;
  if (r.status !== 0) return `${SYSTEM_PYTHON} lacks scikit-learn/pandas/cloudpickle/yaml (${r.stderr.trim().split('\n').pop()}); install python3-sklearn python3-pandas python3-cloudpickle python3-yaml`;
  return null;
}

