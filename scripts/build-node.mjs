// Bundles the plain-Node entry points (CLI, browser-mode host, benchmarks, sample generator) with esbuild.
// Electron's main/preload/renderer are built by electron-vite; these run on Node >= 20 without Electron.
//
//   node scripts/build-node.mjs                     all entries into out/node
//   node scripts/build-node.mjs --only cli,host --out-dir out/test-x    (tests: a private copy)
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { only: { type: 'string' }, 'out-dir': { type: 'string' } } });
const outDir = resolve(root, flags['out-dir'] ?? 'out/node');
const only = flags.only ? new Set(flags.only.split(',')) : null;

const entries = [
  { name: 'cli', src: 'src/main/cli/index.ts', out: 'cli.js' },
  { name: 'host', src: 'src/main/host/index.ts', out: 'host.js' },
  { name: 'bench', src: 'bench/run.ts', out: 'bench/run.js' },
  { name: 'bench-baseline', src: 'bench/baseline-server.ts', out: 'bench/baseline-server.js' },
  { name: 'bench-package', src: 'bench/package-child.ts', out: 'bench/package-child.js' },
  { name: 'sample', src: 'scripts/make-sample-model.ts', out: 'make-sample-model.js' },
  { name: 'azure-emulator', src: 'test/support/azure-emulator/main.ts', out: 'azure-emulator.js' },
  { name: 'onnx-worker', src: 'src/main/services/runner/onnx/onnx-worker-main.ts', out: 'onnx-worker.js' },
  { name: 'file-worker', src: 'src/main/services/batch/file-reader/file-worker-main.ts', out: 'file-worker.js' },
  { name: 'prepare-worker', src: 'src/main/services/runner/prepare/prepare-worker-main.ts', out: 'prepare-worker.js' },
].filter((e) => !only || only.has(e.name));

// Native addons and optional native accelerators stay outside the bundle and load from node_modules.
const external = ['onnxruntime-node', 'electron', 'bufferutil', 'utf-8-validate', 'fsevents'];

// ESM output still meets `require()` in CommonJS dependencies; give them a real one.
const banner = "import { createRequire as __preflightCreateRequire } from 'node:module';\nconst require = __preflightCreateRequire(import.meta.url);";

let built = 0;
for (const { src, out } of entries) {
  const entry = join(root, src);
  if (!existsSync(entry)) {
    console.log(`build-node: skipped ${src} (not written yet)`);
    continue;
  }
  const outfile = join(outDir, out);
  await rm(outfile, { force: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    external,
    banner: { js: banner },
    logLevel: 'warning',
    legalComments: 'none',
  });
  console.log(`build-node: ${src} -> ${relative(root, outfile)}`);
  built++;
}
if (built === 0) {
  console.error('build-node: nothing to build');
  process.exit(1);
}
