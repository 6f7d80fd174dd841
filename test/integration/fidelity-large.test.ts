/**
 * Large inputs against their own recordings (docs/fidelity.md §2 "Large inputs"): long and 2-D lists, many rows,
 * wide frames — what numpy summarises and pandas cuts in 2.12's messages — recorded by
 * `record.py --suite large` (test/fidelity/generate_large.py) from real 2.7.1, 2.12.2 and 2.16.2 servers and
 * replayed against `serve`, `predict` and `validate`.
 */
import { join } from 'node:path';
import { fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

describeReplay({ title: 'large-input suite', dir: join(fidelityDir, 'large'), minAnswers: 250, versions: ['2.7.1', '2.12.2', '2.16.2'] });
