/**
 * Integration tests' global setup: the plain-Node bundles (CLI, browser-mode host, ONNX worker, file-reader
 * worker) built ONCE per test run into a private folder, so tests spawn the real bundles as users run them
 * without each file paying an esbuild run (and a concurrent `npm run build` cannot change them mid-run).
 * Tests read the folder with `inject('bundlesDir')`. Also the run's folder for the scikit-learn fidelity models
 * (`inject('fidelityModelsRoot')`, fidelity-models.ts): built once per coefficient set per run, not once per suite.
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
    sklearnSkipReason: string | null;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  // Unique per call: each integration project (vitest.config.ts) runs this setup in the same process.
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, 'out', `test-bundles-${process.pid}-`));
  const build = spawnSync(process.execPath, ['scripts/build-node.mjs', '--only', 'cli,host,onnx-worker,file-worker,prepare-worker', '--out-dir', dir], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-node failed:\n${build.stdout}\n${build.stderr}`);
  project.provide('bundlesDir', dir);
  const models = mkdtempSync(join(tmpdir(), 'preflight-fidelity-models-'));
  project.provide('fidelityModelsRoot', models);
  project.provide('sklearnSkipReason', skipReason());
  return async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(models, { recursive: true, force: true });
  };
}
