import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  /** The folder holding Preflight's package.json (repo root in a checkout). */
  root: string;
  version: string;
}

/**
 * Finds Preflight's own package.json by walking up from this module. Works from the sources (vitest), from
 * the esbuild bundles in out/node and from the Electron bundle in out/main, which all sit inside the package.
 */
export function findPackage(from: string = dirname(fileURLToPath(import.meta.url))): PackageInfo {
  let dir = from;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'preflight') return { root: dir, version: pkg.version ?? '0.0.0' };
      } catch {
        // A broken package.json further down is not ours; keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return { root: from, version: '0.0.0' };
    dir = parent;
  }
}
