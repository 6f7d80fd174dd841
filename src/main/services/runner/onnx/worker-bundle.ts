/**
 * Bundles the ONNX worker entry with esbuild, for tests and development runs that execute TypeScript
 * sources (vitest) and so have no `out/node/onnx-worker.js`. Production builds add the same entry to
 * scripts/build-node.mjs instead. esbuild is a dev dependency: it is imported lazily, only here.
 *
 * onnxruntime-node stays external and is pinned to its absolute location, so the bundle runs from any
 * directory (e.g. a temp dir outside the repository).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKER_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'onnx-worker-main.ts');

export async function bundleOnnxWorker(outFile: string): Promise<string> {
  const { build } = await import('esbuild');
  const require = createRequire(import.meta.url);
  const ortPath = require.resolve('onnxruntime-node');
  await build({
    entryPoints: [WORKER_ENTRY],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __preflightCreateRequire } from 'node:module';\nconst require = __preflightCreateRequire(import.meta.url);" },
    plugins: [
      {
        name: 'pin-onnxruntime',
        setup(b) {
          b.onResolve({ filter: /^onnxruntime-node$/ }, () => ({ path: ortPath, external: true }));
        },
      },
    ],
  });
  return outFile;
}
