import { resolve } from 'node:path';

/**
 * The model folder given on the command line, if any (`electron . <model-dir>` in dev, `Preflight <model-dir>`
 * packaged). argv[0] is the executable; in dev argv[1] is the app path. Chromium/Electron switches start
 * with `-` and are skipped.
 */
export function modelPathFromArgv(argv: readonly string[], isPackaged: boolean, cwd: string): string | null {
  const args = argv.slice(isPackaged ? 1 : 2);
  const candidate = args.find((a) => !a.startsWith('-'));
  return candidate ? resolve(cwd, candidate) : null;
}
