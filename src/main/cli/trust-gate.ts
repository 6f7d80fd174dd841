/**
 * Model-folder trust for the CLI (services/trust/folder-trust.ts). `predict`, `serve` and `batch` run a
 * Python model only from a folder the user trusted: in the app (Trust), with `--trust` on an earlier or
 * this run (remembered in the same app store, PREFLIGHT_USER_DATA or the default user-data folder), or
 * for one run with PREFLIGHT_TRUST (a path list; CI). ONNX models need no trust, and a run that needs
 * none never opens the store.
 */
import { defaultUserDataDir } from '../app/user-data';
import { splitPathList } from '../app/path-list';
import { AppStore } from '../services/store/app-store';
import { FolderTrust, folderOf, type TrustGate } from '../services/trust/folder-trust';
import type { CliIo } from './command';

/** The `--trust` option, for commands that run a model. */
export const TRUST_OPTION = { trust: { type: 'boolean' } } as const;
/** The `--trust` lines of a command's help, its text starting at `column` like the command's other options. */
export function trustUsage(column: number): string {
  const pad = ' '.repeat(column);
  return `${'  --trust'.padEnd(column)}trust the model's folder to run its code (Python models: a pickle is a program);\n${pad}remembered, like the app's Trust. PREFLIGHT_TRUST (a path list) trusts for one run`;
}

export const TRUST_USAGE = trustUsage(28);

export function cliTrustGate(io: CliIo, trustFlag: boolean | undefined): TrustGate {
  let trust: Promise<FolderTrust> | null = null;
  const open = (): Promise<FolderTrust> =>
    (trust ??= (async () => {
      const store = await AppStore.open(defaultUserDataDir(io.env), io.log);
      const session = await Promise.all((splitPathList(io.env.PREFLIGHT_TRUST) ?? []).map(folderOf));
      return new FolderTrust(store, session);
    })());
  return async (modelDir) => {
    const t = await open();
    if (trustFlag && !(await t.status(modelDir)).trusted) {
      const { folder } = await t.grant(modelDir);
      io.stderr(`preflight: trusted ${folder} to run its code (remembered; the app lists it too)\n`);
    }
    await t.gate('Run the command again with --trust to trust this folder (remembered), or trust it in the app.')(modelDir);
  };
}
