/**
 * The fresh Azure probe (docs/fidelity.md "The fresh Azure probe"): requests a data scientist sends to an Azure ML
 * no-code MLflow endpoint, answered by Azure's real scoring script (A1) behind azureml-inference-server's real
 * parser (A4) with MLflow 2.12.2 — recorded by test/fidelity/azure-a1/probe_fresh.py — replayed against Preflight's
 * Azure profile:
 * - the scikit-learn fidelity models (built by make-fidelity-models.py): `preflight serve --server azureml` over
 *   real HTTP (status, Content-Type, x-ms-run-function-failed, body bytes) and `predict` (the same answer, and
 *   the error the real script raised, which Azure only logs);
 * - the echo models (MLflow-written folders whose model returns what it was handed; their MLmodel and example are
 *   committed, the pickled echo is not: no MLflow here): `validate` — the real status and body when the script
 *   refused, the logged error, and when the model was called, what it received (kind, columns, dtypes, rows, params).
 * Prints the agreement per surface and class; fails on any disagreement not in known-gaps.json (id → reason),
 * and on a listed gap that now agrees. The other MLflow versions: fidelity-azure-versions.test.ts.
 */
import { AZURE_FRESH_DIR, describeAzureFreshReplay } from '../support/azure-fresh-replay';

describeAzureFreshReplay({ dir: AZURE_FRESH_DIR, version: '2.12.2', title: 'fresh Azure probe: the real scoring script (A1 + A4) vs Preflight', heldout: true, minCases: 1000 });
