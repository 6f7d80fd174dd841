/**
 * MLflow 3.6 — the version Preflight emulates for every model that names none (DEFAULT_MLFLOW_VERSION 3.6.1) —
 * against its own recordings (docs/fidelity.md §13): requests recorded from a real `mlflow models serve` of MLflow
 * 3.6.1.dev0 (the opendatahub-io/mlflow master of December 2025: the FastAPI/uvicorn server, run as §10 describes),
 * replayed against `serve`, `predict` and `validate` with `--mlflow-version 3.6.1.dev0`. Preflight's rules read only
 * major.minor.patch, so this is the behaviour every 3.6.1 model gets; the suffix shows only in `GET /version`, which
 * answers the full version text. The main suite always; the held-out, nested-labels, row-MultiIndex, single-value and
 * fresh suites (another ~90 s) with FIDELITY_361_ALL=1.
 */
import { describeVersionReplays } from '../support/fidelity-version';

describeVersionReplays('3.6.1.dev0', 'FIDELITY_361_ALL');
