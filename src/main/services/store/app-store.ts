import { mkdir, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError, ErrorCodes } from '@shared/errors';
import { RecentModelSchema, type RecentModel } from '@shared/ipc/contract';
import type { Logger } from '../../ports/logger';
import { writeFileAtomic } from './atomic-file';
import { keepCopy } from './keep-copy';
import { withFileLock } from './file-lock';

/** The on-disk shape. Bump `version` (and migrate) before changing a field's meaning. */
export const StoreFileSchema = z.object({
  version: z.literal(1),
  settings: z.record(z.string(), z.unknown()),
  recent: z.array(RecentModelSchema),
});
export type StoreFile = z.infer<typeof StoreFileSchema>;

export const STORE_FILE_NAME = 'preflight-store.json';
export const MAX_RECENT = 20;

const emptyStore = (): StoreFile => ({ version: 1, settings: {}, recent: [] });

export interface AppStoreOptions {
  fileName?: string;
  maxRecent?: number;
  /** Injectable clock so tests can order entries without sleeping. */
  now?: () => Date;
}

/**
 * Non-secret app data in userData: settings and the recent-models list. Every change takes the store's
 * lock file (file-lock.ts), re-reads the file, applies itself and writes atomically, so two processes
 * (the app and `preflight open`) sharing a folder do not erase each other's entries — re-reading alone
 * did not: both read, both wrote, the second write dropped the first one's entry — and a crash never
 * leaves a torn file.
 */
export class AppStore {
  readonly file: string;
  private data: StoreFile = emptyStore();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxRecent: number;
  private readonly now: () => Date;

  private constructor(
    readonly dir: string,
    private readonly log: Logger,
    options: AppStoreOptions,
  ) {
    this.file = join(dir, options.fileName ?? STORE_FILE_NAME);
    this.maxRecent = options.maxRecent ?? MAX_RECENT;
    this.now = options.now ?? (() => new Date());
  }

  /** Opens (creating the folder if needed) and loads the store; a corrupt file is kept as `.bak` (never over an earlier copy: keep-copy.ts) and replaced by an empty store. */
  static async open(dir: string, log: Logger, options: AppStoreOptions = {}): Promise<AppStore> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new AppError(
        ErrorCodes.ENVIRONMENT,
        `Cannot create the app data folder "${dir}" (${(err as Error).message}). Check its permissions or set PREFLIGHT_USER_DATA to a writable folder.`,
        { cause: err },
      );
    }
    const store = new AppStore(dir, log, options);
    await store.removeStaleTempFiles();
    store.data = await store.load();
    return store;
  }

  /** Recent models, newest first (a copy). */
  recent(): RecentModel[] {
    return this.data.recent.map((r) => ({ ...r }));
  }

  settings(): Record<string, unknown> {
    return { ...this.data.settings };
  }

  getSetting(key: string): unknown {
    return this.data.settings[key];
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.mutate((data) => {
      data.settings[key] = value;
    });
  }

  /**
   * Puts a model at the top of the recent list. Entries are keyed by realpath, so the same folder reached
   * through a symlink or a trailing slash appears once. The list keeps the newest `maxRecent` entries.
   */
  async addRecent(entry: { path: string; name: string }): Promise<RecentModel[]> {
    const key = await canonical(entry.path);
    const item: RecentModel = { path: key, name: entry.name, openedAt: this.now().toISOString() };
    await this.mutate(async (data) => {
      const keys = await Promise.all(data.recent.map((r) => canonical(r.path)));
      const rest = data.recent.filter((r, i) => r.path !== key && keys[i] !== key);
      data.recent = [item, ...rest].slice(0, this.maxRecent);
    });
    return this.recent();
  }

  /** Removes an entry by the path it was listed under (or any path resolving to the same folder). */
  async forgetRecent(path: string): Promise<RecentModel[]> {
    const key = await canonical(path);
    await this.mutate(async (data) => {
      const keys = await Promise.all(data.recent.map((r) => canonical(r.path)));
      data.recent = data.recent.filter((r, i) => r.path !== path && r.path !== key && keys[i] !== key);
    });
    return this.recent();
  }

  /** Serialised read-modify-write; callers see either the whole change or an AppError. */
  private mutate(change: (data: StoreFile) => void | Promise<void>): Promise<void> {
    const readModifyWrite = async (): Promise<void> => {
      const data = await this.load();
      await change(data);
      try {
        await writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`);
      } catch (err) {
        throw new AppError(
          ErrorCodes.ENVIRONMENT,
          `Cannot save app data to "${this.file}" (${(err as Error).message}). Check free disk space and the folder's permissions.`,
          { cause: err },
        );
      }
      this.data = data;
    };
    const run = (): Promise<void> => withFileLock(this.file, readModifyWrite);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  private async load(): Promise<StoreFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyStore();
      this.log.warn(`cannot read ${this.file}; starting with empty settings and recent list`, err);
      return emptyStore();
    }
    let problem: string;
    try {
      const parsed = StoreFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      problem = `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
    } catch (err) {
      problem = `not valid JSON (${(err as Error).message})`;
    }
    // never over an earlier copy: a second corruption used to overwrite the first one's (the user's last good data)
    const backup = await keepCopy(this.file);
    if (backup.path) this.log.warn(`${this.file} is corrupt (${problem}); kept a copy at ${backup.path} and started with an empty store`);
    else this.log.warn(`${this.file} is corrupt (${problem}) and ${backup.reason}; starting with an empty store`);
    return emptyStore();
  }

  /** Temp files left by a crash mid-write; an hour old means no live writer owns them. */
  private async removeStaleTempFiles(): Promise<void> {
    const prefix = `.${basename(this.file)}.`;
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      const full = join(this.dir, name);
      const info = await stat(full).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > 60 * 60 * 1000) await rm(full, { force: true }).catch(() => {});
    }
  }
}

/** realpath when the folder exists (symlinks, `..`, trailing slashes collapse), else the resolved path. */
async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}
