/**
 * One MLflow version's own recordings (docs/fidelity.md §7, §10–§12): test/fixtures/fidelity/mlflow-<version>/ holds the
 * main suite, and one sub-folder per other suite recorded from the same real server. The main suite replays always;
 * the others only when `allFlag` is set to 1 in the environment (they would take more than a file's share of CI time).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fidelityDir } from './fidelity';
import { describeReplay } from './fidelity-replay';

/** Sub-folder → the recorded answers it must hold at least. */
const OTHER_SUITES: ReadonlyArray<[folder: string, title: string, minAnswers: number]> = [
  ['heldout', 'held-out', 500],
  ['nested', 'nested-labels', 200],
  ['rowindex', 'row-MultiIndex', 150],
  ['scalars', 'single-value', 300],
  ['fresh', 'fresh', 500],
];

/**
 * `always`: sub-folders replayed even without the flag (2.3.1's held-out suite, whose gates no other version shows).
 * `minAnswers`: a lower floor for a folder ('main' or a sub-folder) where the version cannot load one of the models
 * (2.6.0 and the `params` model, docs/fidelity.md §14); then each folder holds one model file fewer too.
 */
export function describeVersionReplays(version: string, allFlag: string, always: readonly string[] = [], minAnswers: Readonly<Record<string, number>> = {}): void {
  const dir = join(fidelityDir, `mlflow-${version}`);
  const versions = [version];
  const minModels = Object.keys(minAnswers).length > 0 ? 5 : 6;
  describeReplay({ title: `MLflow ${version} main suite`, dir, minAnswers: minAnswers.main ?? 2000, versions, minModels });
  const all = process.env[allFlag] === '1';
  for (const [folder, title, min] of OTHER_SUITES)
    if ((all || always.includes(folder)) && existsSync(join(dir, folder))) describeReplay({ title: `MLflow ${version} ${title} suite`, dir: join(dir, folder), minAnswers: minAnswers[folder] ?? min, versions, minModels });
}
