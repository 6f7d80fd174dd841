/**
 * The recorded differential suite (docs/fidelity.md): 2 215 generated requests × the real MLflow 2.7.1 and
 * 2.12.2 servers, replayed against `serve`, `predict` and `validate` (test/support/fidelity-replay.ts).
 */
import { fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

describeReplay({ title: 'recorded differential suite', dir: fidelityDir, minAnswers: 2000 });
