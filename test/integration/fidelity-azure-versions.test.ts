/**
 * The fresh Azure probe under the MLflow versions the users' models pin (docs/fidelity.md §16): a no-code Azure
 * deployment installs the model's own mlflow, so A1 runs on that version's `mlflow.pyfunc` (its schema enforcement,
 * its messages, its params support). Recorded by test/fidelity/azure-a1/probe_fresh.py with each MLflow tree
 * (models written by that version) into test/fixtures/fidelity/azure-fresh/mlflow-<v>/, replayed against
 * `serve --server azureml`, `predict` and `validate` with `--mlflow-version <v>`. In CI the first batch of 2.3.1 and
 * 2.8.1 (each side of the 2.4 / 2.6 / 2.10 gates, the most pinned) and 2.16.2's echo models (§16.1); 2.7.1, 2.10.2,
 * 2.4.2, all of 2.16.2 and every held-out batch with FIDELITY_AZURE_VERSIONS_ALL=1 (FIDELITY_AZURE_VERSIONS=2.7.1,… picks versions). MLflow 2.12.2: fidelity-azure-fresh.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AZURE_FRESH_DIR, describeAzureFreshReplay } from '../support/azure-fresh-replay';

const all = process.env.FIDELITY_AZURE_VERSIONS_ALL === '1';
const only = process.env.FIDELITY_AZURE_VERSIONS?.split(',');

const CI = ['2.3.1', '2.8.1'];
/**
 * In CI on the echo models only (validate, in-process): the two rules 2.16.2 shows that no other CI-replayed Azure
 * recording shows — 2.16.1's int64 → float for 0/1 values and 2.16.0's bare-list ndarray example (A1 then builds its
 * sample from the signature) — are all in its echo answers; its scikit-learn answers equal 2.12.2's (§16.1).
 */
const CI_ECHO = ['2.16.2'];

for (const version of ['2.3.1', '2.8.1', '2.7.1', '2.10.2', '2.4.2', '2.16.2']) {
  const dir = join(AZURE_FRESH_DIR, `mlflow-${version}`);
  const inCi = CI.includes(version) || CI_ECHO.includes(version);
  if (!existsSync(dir) || (only ? !only.includes(version) : !all && !inCi)) continue;
  const echoOnly = !all && !only && CI_ECHO.includes(version);
  describeAzureFreshReplay({ dir, version, title: `fresh Azure probe under MLflow ${version}${echoOnly ? ' (echo models)' : ''}`, heldout: all, minCases: 1000, echoOnly });
}
