/**
 * Bundles a worker entry (the ONNX worker, the batch file reader) with esbuild, for tests and development runs that execute TypeScript
 * sources (vitest) and so have no `out/node/onnx-worker.js`. Production builds add the same entry to
 * scripts/build-node.mjs instead. esbuild is a dev dependency: it is imported lazily, only here.
 *
 * onnxruntime-node stays external and is pinned to its absolute location, so the bundle runs from any
 * directory (e.g. a temp dir outside the repository).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const services = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'main', 'services');
export const WORKER_ENTRY = join(services, 'runner', 'onnx', 'onnx-worker-main.ts');
export const FILE_WORKER_ENTRY = join(services, 'batch', 'file-reader', 'file-worker-main.ts');
export const PREPARE_WORKER_ENTRY = join(services, 'runner', 'prepare', 'prepare-worker-main.ts');

export const bundleOnnxWorker = (outFile: string): Promise<string> => bundleWorker(WORKER_ENTRY, outFile);
/** `file-worker.js`, the batch file reader (parquet decoding under a deadline). */
export const bundleFileWorker = (outFile: string): Promise<string> => bundleWorker(FILE_WORKER_ENTRY, outFile);

/** `prepare-worker.js`, the scoring servers' request preparation thread (large bodies of Python models). */
export const bundlePrepareWorker = (outFile: string): Promise<string> => bundleWorker(PREPARE_WORKER_ENTRY, outFile);

async function bundleWorker(entry: string, outFile: string): Promise<string> {
  const { build } = await import('esbuild');
  const require = createRequire(import.meta.url);
  const ortPath = require.resolve('onnxruntime-node');
  await build({
    entryPoints: [entry],
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
