/**
 * Integration tests' global setup: the plain-Node bundles (CLI, browser-mode host, ONNX worker, file-reader
 * worker) built ONCE per test run into a private folder, so tests spawn the real bundles as users run them
 * without each file paying an esbuild run (and a concurrent `npm run build` cannot change them mid-run).
 * Tests read the folder with `inject('bundlesDir')`.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from './paths';

declare module 'vitest' {
  export interface ProvidedContext {
    bundlesDir: string;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  const dir = join(repoRoot, 'out', `test-bundles-${process.pid}`);
  const build = spawnSync(process.execPath, ['scripts/build-node.mjs', '--only', 'cli,host,onnx-worker,file-worker', '--out-dir', dir], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-node failed:\n${build.stdout}\n${build.stderr}`);
  project.provide('bundlesDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}
