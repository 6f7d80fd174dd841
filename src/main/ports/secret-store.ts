/**
 * Where secrets (the msal token cache, a service principal's secret) live. Hosts choose: Electron's
 * safeStorage in the app (src/main/electron/safe-storage-secret-store.ts), memory in browser mode and the
 * CLI, or a cache file the user names explicitly (mode 0600). Nothing that implements this may log a value.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../services/store/atomic-file';

export interface SecretStoreInfo {
  kind: 'memory' | 'file' | 'safeStorage';
  /** Survives a restart of Preflight. */
  persistent: boolean;
  /** Said to the user: where secrets go and how well they are protected. */
  description: string;
}

export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  info(): SecretStoreInfo;
}

export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  info(): SecretStoreInfo {
    return { kind: 'memory', persistent: false, description: 'in memory only: sign-in lasts until Preflight exits' };
  }
}

/**
 * Secrets in one JSON file the user chose (`--cache-file` / PREFLIGHT_AZURE_CACHE), written atomically with
 * mode 0600 — the protection the Azure CLI's own token cache has on Linux. Only used when asked for.
 */
export class FileSecretStore implements SecretStore {
  constructor(readonly file: string) {}

  private async load(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      // A damaged cache only means signing in again; its content is never echoed.
      return {};
    }
  }

  async get(key: string): Promise<string | null> {
    return (await this.load())[key] ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    const all = await this.load();
    all[key] = value;
    await writeFileAtomic(this.file, JSON.stringify(all));
  }

  async delete(key: string): Promise<void> {
    const all = await this.load();
    if (!(key in all)) return;
    delete all[key];
    await writeFileAtomic(this.file, JSON.stringify(all));
  }

  info(): SecretStoreInfo {
    return { kind: 'file', persistent: true, description: `in ${this.file} (readable only by you, mode 0600; not encrypted)` };
  }
}
