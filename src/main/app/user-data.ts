import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the headless hosts keep settings and the recent list when PREFLIGHT_USER_DATA is not set: the same
 * folder Electron uses for an app named "preflight", so the app, `preflight open` and the CLI share one list.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PREFLIGHT_USER_DATA) return env.PREFLIGHT_USER_DATA;
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'preflight');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'preflight');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'preflight');
}
