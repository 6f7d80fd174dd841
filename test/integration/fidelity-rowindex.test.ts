/**
 * The row-MultiIndex differential suite (docs/fidelity.md §1): `dataframe_split` bodies whose `index` is a list of
 * lists — a pandas row MultiIndex, which 2.12 prints in its enforcement errors — from
 * test/fidelity/generate_rowindex.py, recorded from the real MLflow 2.7.1 and 2.12.2 servers and replayed against
 * `serve`, `predict` and `validate`.
 */
import { join } from 'node:path';
import { fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

describeReplay({ title: 'row-MultiIndex differential suite', dir: join(fidelityDir, 'rowindex'), minAnswers: 300 });
