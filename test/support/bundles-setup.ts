/**
 * Integration tests' global setup: the plain-Node bundles (CLI, browser-mode host, ONNX worker, file-reader
 * worker) built ONCE per test run into a private folder, so tests spawn the real bundles as users run them
 * without each file paying an esbuild run (and a concurrent `npm run build` cannot change them mid-run).
 * Tests read the folder with `inject('bundlesDir')`. Also the run's folder for the scikit-learn fidelity models
 * (`inject('fidelityModelsRoot')`, fidelity-models.ts): built once per coefficient set per run, not once per suite;
 * and of the scikit-learn test models (`inject('sklearnModelsRoot')`, sklearn-models.ts), trained once per run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from './paths';
import { skipReason } from './sklearn-check';

declare module 'vitest' {
  export interface ProvidedContext {
    bundlesDir: string;
    fidelityModelsRoot: string;
    /** Where buildSklearnModels() trains the scikit-learn models once per run (sklearn-models.ts). */
    sklearnModelsRoot: string;
    sklearnSkipReason: string | null;
  }
}

interface RunFolders {
  bundlesDir: string;
  fidelityModelsRoot: string;
  sklearnModelsRoot: string;
  sklearnSkipReason: string | null;
  /** Projects whose teardown has not run yet: the last one removes the folders. */
  users: number;
}

/** Shared by the integration projects of one run: vitest runs every project's global setup in this one process (at start, teardowns at the end). */
const RUN_KEY = Symbol.for('preflight.integration.runFolders');
type WithRun = typeof globalThis & { [RUN_KEY]?: RunFolders };

function prepare(): RunFolders {
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  const bundlesDir = mkdtempSync(join(repoRoot, 'out', `test-bundles-${process.pid}-`));
  const build = spawnSync(process.execPath, ['scripts/build-node.mjs', '--only', 'cli,host,onnx-worker,file-worker,prepare-worker', '--out-dir', bundlesDir], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-node failed:\n${build.stdout}\n${build.stderr}`);
  return {
    bundlesDir,
    fidelityModelsRoot: mkdtempSync(join(tmpdir(), 'preflight-fidelity-models-')),
    sklearnModelsRoot: mkdtempSync(join(tmpdir(), 'preflight-sklearn-models-')),
    sklearnSkipReason: skipReason(),
    users: 0,
  };
}

export default function setup(project: TestProject): () => Promise<void> {
  // Once per run, not once per integration project (vitest.config.ts): the second project used to build the same
  // bundles, ask Python the same question and train the same models again.
  const g = globalThis as WithRun;
  const run = (g[RUN_KEY] ??= prepare());
  run.users += 1;
  project.provide('bundlesDir', run.bundlesDir);
  project.provide('fidelityModelsRoot', run.fidelityModelsRoot);
  project.provide('sklearnModelsRoot', run.sklearnModelsRoot);
  project.provide('sklearnSkipReason', run.sklearnSkipReason);
  return async () => {
    run.users -= 1;
    if (run.users > 0) return;
    delete g[RUN_KEY];
    await rm(run.bundlesDir, { recursive: true, force: true });
    await rm(run.fidelityModelsRoot, { recursive: true, force: true });
    await rm(run.sklearnModelsRoot, { recursive: true, force: true });
  };
}
