/**
 * The app's SecretStore: values encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet)
 * and kept in one file in userData. On Linux without a keyring Electron falls back to `basic_text`, which
 * only obfuscates; `info()` says so, and the Azure view shows that sentence.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretStore, SecretStoreInfo } from '../ports/secret-store';
import { writeFileAtomic } from '../services/store/atomic-file';

export class SafeStorageSecretStore implements SecretStore {
  private readonly file: string;

  constructor(userDataDir: string) {
    this.file = join(userDataDir, 'azure-secrets.bin.json');
  }

  private async load(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  async get(key: string): Promise<string | null> {
    const sealed = (await this.load())[key];
    if (!sealed || !safeStorage.isEncryptionAvailable()) return null;
    try {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      return null;
    }
  }

  async set(key: string, value: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) return;
    const all = await this.load();
    all[key] = safeStorage.encryptString(value).toString('base64');
    await writeFileAtomic(this.file, JSON.stringify(all));
  }

  async delete(key: string): Promise<void> {
    const all = await this.load();
    delete all[key];
    await writeFileAtomic(this.file, JSON.stringify(all));
  }

  info(): SecretStoreInfo {
    if (!safeStorage.isEncryptionAvailable()) return { kind: 'safeStorage', persistent: false, description: 'the operating system offers no encryption; sign-in is not kept' };
    const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
    return {
      kind: 'safeStorage',
      persistent: true,
      description: weak ? 'encrypted with a fixed key only (no keyring found: Linux basic_text backend) — install and unlock a keyring for real protection' : 'encrypted by the operating system keychain',
    };
  }
}
