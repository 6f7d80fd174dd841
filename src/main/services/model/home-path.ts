import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `~` and `~/models/x` as a shell would read them. Paths typed into the app's path field or quoted on a
 * command line never reach a shell, and `resolve('~/x')` silently means `<cwd>/~/x`. `~user` is left alone.
 */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return path;
}
