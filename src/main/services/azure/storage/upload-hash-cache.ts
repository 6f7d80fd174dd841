/**
 * What Preflight remembers about files it hashed for `LocalUpload/<hash>` (not secret: paths, sizes, times,
 * SHA-256 sums). A file whose path, size, mtime and inode are unchanged is not read again to be hashed, so
 * registering the same folder again (or after an interrupted upload) reads only what it must send. The same
 * trade-off as git's index: a change that keeps the size and the mtime to the nanosecond is not seen.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../store/atomic-file';

export interface HashEntry {
  sha256: string;
}

const MAX_ENTRIES = 20_000;

export class UploadHashCache {
  private entries: Map<string, HashEntry> | null = null;
  private dirty = false;

  /** `file`: a JSON file (in the app's user data); null keeps the cache in memory only. */
  constructor(private readonly file: string | null) {}

  static key(f: { abs: string; size: number; mtimeMs: number; ino: number }): string {
    return `${f.abs}\0${f.size}\0${f.mtimeMs}\0${f.ino}`;
  }

  private async load(): Promise<Map<string, HashEntry>> {
    if (!this.entries) {
      this.entries = new Map();
      if (this.file) {
        try {
          const raw = JSON.parse(await readFile(this.file, 'utf8')) as { entries?: [string, HashEntry][] };
          for (const [k, v] of raw.entries ?? []) if (typeof v?.sha256 === 'string' && /^[0-9a-f]{64}$/.test(v.sha256)) this.entries.set(k, v);
        } catch {
          // Missing or damaged: start empty (it is only a cache).
        }
      }
    }
    return this.entries;
  }

  async get(key: string): Promise<HashEntry | undefined> {
    return (await this.load()).get(key);
  }

  async set(key: string, entry: HashEntry): Promise<void> {
    const m = await this.load();
    m.delete(key);
    m.set(key, entry);
    while (m.size > MAX_ENTRIES) m.delete(m.keys().next().value!);
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.file || !this.dirty || !this.entries) return;
    this.dirty = false;
    await writeFileAtomic(this.file, JSON.stringify({ version: 1, entries: [...this.entries] }));
  }
}
