#!/usr/bin/env node
// @ts-check
// Codemod: rewrites every relative import in src/ that leaves its layer root (src/shared, src/main,
// src/preload, src/renderer/src) to the layer's alias — `../../../../shared/errors` → `@shared/errors`.
// Imports inside a layer stay relative. Idempotent: a second run changes nothing.
//
//   node scripts/alias-imports.mjs            rewrite in place, print what changed
//   node scripts/alias-imports.mjs --check    change nothing; exit 1 when something would be rewritten
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { layerOf, repoRoot } from './aliases.mjs';

const check = process.argv.includes('--check');

/** Module specifiers in static imports/exports, `import()`, `import '…'`, and vitest's `vi.mock`/`vi.importActual`. */
const SPECIFIER_RE = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bvi\.(?:mock|doMock|importActual)\(\s*)(['"])(\.{1,2}\/[^'"\n]*)\2/g;

/** The aliased form of `specifier` as written in `file` (repository-relative), or null when it stays as it is. */
export function aliasFor(file, specifier) {
  const from = layerOf(file);
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  const to = layerOf(target);
  if (!to || (from && from.dir === to.dir)) return null;
  return `${to.alias}${target.slice(to.dir.length)}`;
}

/** The file's text with its layer-leaving imports aliased, and how many were rewritten. */
export function rewrite(file, text) {
  let count = 0;
  const out = text.replace(SPECIFIER_RE, (whole, head, quote, spec) => {
    const aliased = aliasFor(file, spec);
    if (!aliased) return whole;
    count++;
    return `${head}${quote}${aliased}${quote}`;
  });
  return { text: out, count };
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(m?[jt]sx?)$/.test(e.name) ? [p] : [];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let files = 0;
  let imports = 0;
  for (const abs of sourceFiles(join(repoRoot, 'src'))) {
    const file = relative(repoRoot, abs).split(sep).join('/');
    const before = readFileSync(abs, 'utf8');
    const { text, count } = rewrite(file, before);
    if (!count) continue;
    files++;
    imports += count;
    if (!check) writeFileSync(abs, text);
  }
  console.log(`alias-imports: ${imports} import${imports === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} ${check ? 'would be rewritten' : 'rewritten'}.`);
  if (check && imports) process.exit(1);
}
