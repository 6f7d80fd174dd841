/**
 * The nested-labels differential suite (docs/fidelity.md §1): `dataframe_split` bodies whose `columns` are a list
 * of lists — a pandas MultiIndex of one to four levels — from test/fidelity/generate_nested.py, recorded from the
 * real MLflow 2.7.1 and 2.12.2 servers and replayed against `serve`, `predict` and `validate`.
 */
import { join } from 'node:path';
import { fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

describeReplay({ title: 'nested-labels differential suite', dir: join(fidelityDir, 'nested'), minAnswers: 400 });
