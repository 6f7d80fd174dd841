/**
 * MLflow 2.6.0 against its own recordings (docs/fidelity.md §14): the main, held-out, nested-labels, row-MultiIndex,
 * single-value and fresh requests recorded from a real 2.6.0 server (run with Debian's Python and the databricks-cli
 * source, like 2.3.1), replayed against `serve`, `predict` and `validate` with `--mlflow-version 2.6.0`. The main
 * suite always; the others with FIDELITY_260_ALL=1. 2.6.0 cannot load the `params` model (its ParamSpec reads a `dtype`
 * key, which 2.7 renamed `type`: record.py NOT_VERSIONS), so each suite holds that model's cases fewer.
 */
import { describeVersionReplays } from '../support/fidelity-version';

describeVersionReplays('2.6.0', 'FIDELITY_260_ALL', [], { main: 2000, heldout: 500, nested: 170, rowindex: 130, scalars: 250, fresh: 490 });
