import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, whatever the test's own location. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Third-party fixtures live beside the repo (`../shared/fixtures`), never copied in; CI lays shared/ at the
 * same place. PREFLIGHT_FIXTURES overrides for unusual checkouts.
 */
export const fixturesDir = process.env.PREFLIGHT_FIXTURES ?? resolve(repoRoot, '../shared/fixtures');
export const fixture = (...parts: string[]): string => resolve(fixturesDir, ...parts);

/** The bundled sample model that `npm start` opens. */
export const sampleModelDir = resolve(repoRoot, 'resources/sample-model');
