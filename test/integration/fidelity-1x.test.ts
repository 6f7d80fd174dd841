/**
 * MLflow 1.x — pinned by four of the users' model folders (1.25.1, 1.26.1, 1.28.0, 1.30.1) — against recordings of
 * the real 1.x scoring servers (docs/fidelity.md §15): test/fixtures/fidelity/mlflow-1.x/ holds the main suite's
 * requests (2.x bodies sent to a 1.x server) and native1x/ the 1.x protocol's own bodies (generate_1x.py), each
 * answered by all four real servers; replayed against `serve`, `predict` and `validate --mlflow-version <v>`.
 * The main and 1.x-native suites always for 1.30.1 (the newest 1.x); every version with FIDELITY_1X_ALL=1.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fidelityDir } from '../support/fidelity';
import { describeReplay } from '../support/fidelity-replay';

const dir = join(fidelityDir, 'mlflow-1.x');
const all = process.env.FIDELITY_1X_ALL === '1';
const versions = all ? ['1.25.1', '1.26.1', '1.28.0', '1.30.1'] : ['1.30.1'];
describeReplay({ title: `MLflow 1.x main suite (${versions.join(', ')})`, dir, minAnswers: 2000 * versions.length, versions });
if (existsSync(join(dir, 'native1x')))
  describeReplay({ title: `MLflow 1.x native-protocol suite (${versions.join(', ')})`, dir: join(dir, 'native1x'), minAnswers: 3000 * versions.length, versions });
