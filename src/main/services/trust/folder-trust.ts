/**
 * Model-folder trust, like VS Code's workspace trust. Inspecting and validating a model read its files
 * and never run them: always free. *Running* a Python model runs its code — a pickle is a program, and
 * MLflow's loaders import the folder's `code/` — with all the user's rights. So the first run of a Python
 * model from a folder needs the user's yes; the answer is remembered (the app store's `trust.folders`,
 * written atomically under the store's lock, shared by the app and the CLI).
 *
 * ONNX models need no trust: onnxruntime executes a fixed set of graph operators, not code from the file,
 * and does so in a separate process; a hostile .onnx can at worst crash that process (contained, like a
 * corrupt image in a viewer).
 *
 * A trusted folder covers its subfolders (trusting a project folder trusts the models in it). Folders are
 * compared by real path, so a symlink cannot borrow a trusted folder's trust for another one.
 */
import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { TrustStatusData } from '@shared/ipc/contract';
import type { AppStore } from '../store/app-store';

export const TRUSTED_FOLDERS_SETTING = 'trust.folders';

/** `trust.*`'s answer: the folder a grant applies to (the model folder, or the folder of a bare model file) and whether it is trusted. */
export type TrustStatus = TrustStatusData;

/** Throws E_UNTRUSTED unless the folder of `modelPath` is trusted. Given to the Python engine. */
export type TrustGate = (modelPath: string) => Promise<void>;

export class FolderTrust {
  /** `preTrusted`: folders the host trusts for this session only (`--trust`, tests), never saved. */
  constructor(
    private readonly store: Pick<AppStore, 'getSetting' | 'setSetting'>,
    private readonly preTrusted: readonly string[] = [],
  ) {}

  list(): string[] {
    const v = this.store.getSetting(TRUSTED_FOLDERS_SETTING);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && isAbsolute(x)) : [];
  }

  async status(modelPath: string): Promise<TrustStatus> {
    const folder = await folderOf(modelPath);
    return { folder, trusted: this.covers(folder) };
  }

  /** Remembers the model's folder as trusted. */
  async grant(modelPath: string): Promise<TrustStatus> {
    const folder = await folderOf(modelPath);
    if (!this.list().includes(folder)) await this.store.setSetting(TRUSTED_FOLDERS_SETTING, [...this.list(), folder]);
    return { folder, trusted: true };
  }

  /** Forgets a trusted folder (exactly that one; a trusted parent still covers it). */
  async revoke(modelPath: string): Promise<TrustStatus> {
    const folder = await folderOf(modelPath);
    await this.store.setSetting(TRUSTED_FOLDERS_SETTING, this.list().filter((f) => f !== folder));
    return { folder, trusted: this.covers(folder) };
  }

  /** The gate the Python engine calls before it loads (runs) a model. `how` says how to trust, per host. */
  gate(how: string): TrustGate {
    return async (modelPath) => {
      const { folder, trusted } = await this.status(modelPath);
      if (trusted) return;
      throw new AppError(
        ErrorCodes.UNTRUSTED,
        `Running this model runs the Python code in ${folder} (a pickled model is a program, and it runs with all your rights). Preflight runs it only in folders you trust. ${how}`,
        { details: { folder } },
      );
    };
  }

  private covers(folder: string): boolean {
    return [...this.list(), ...this.preTrusted].some((t) => {
      const rel = relative(t, folder);
      return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
    });
  }
}

/** Real path of the model folder (or of the folder holding a model file). */
export async function folderOf(modelPath: string): Promise<string> {
  const abs = resolve(modelPath);
  const real = await realpath(abs).catch(() => abs);
  const info = await stat(real).catch(() => null);
  return info && !info.isDirectory() ? dirname(real) : real;
}
