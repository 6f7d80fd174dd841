// @ts-check
// The import aliases of the four layer roots, in one place: tsconfig.base.json's `paths` say the same (a test
// checks they agree), electron-vite and vitest read this file, esbuild and Playwright read tsconfig's paths,
// and `preflight/layers` resolves aliased imports through it. Inside a layer imports stay relative; an import
// that leaves its layer root goes through the alias (`preflight/layer-relative`).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** alias → layer root (repository-relative, POSIX). */
export const LAYER_ALIASES = /** @type {const} */ ({
  '@shared': 'src/shared',
  '@main': 'src/main',
  '@preload': 'src/preload',
  '@renderer': 'src/renderer/src',
});

/** For Vite/Vitest `resolve.alias`: `@shared/x` → `<repo>/src/shared/x` (prefix + slash only, so a package named `@shared-x` is untouched). */
export const viteAliases = () => Object.entries(LAYER_ALIASES).map(([alias, dir]) => ({ find: new RegExp(`^${alias}/`), replacement: `${join(repoRoot, dir)}/` }));

/** The layer root holding a repository-relative path, or null (test/, scripts/, bench/…). Longest root first: src/renderer/src. */
export function layerOf(relPath) {
  const roots = Object.entries(LAYER_ALIASES).sort((a, b) => b[1].length - a[1].length);
  const hit = roots.find(([, dir]) => relPath === dir || relPath.startsWith(`${dir}/`));
  return hit ? { alias: hit[0], dir: hit[1] } : null;
}

/** `@main/services/x` → `src/main/services/x`; null when the specifier uses no layer alias. */
export function unalias(specifier) {
  for (const [alias, dir] of Object.entries(LAYER_ALIASES)) {
    if (specifier === alias || specifier.startsWith(`${alias}/`)) return dir + specifier.slice(alias.length);
  }
  return null;
}
