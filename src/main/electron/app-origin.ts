import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Decides whether a URL belongs to the app itself: the `ELECTRON_RENDERER_URL` dev-server origin in
 * development, otherwise a file:// URL inside the built renderer folder (file URLs all share the opaque
 * origin "null", so the folder is the only meaningful boundary). Used for IPC sender checks and navigation.
 * Pure on purpose (no electron import) so it is unit-tested.
 */
export function createAppUrlCheck(options: { devServerUrl?: string | null; rendererDir: string }): (url: string) => boolean {
  const devOrigin = options.devServerUrl ? new URL(options.devServerUrl).origin : null;
  const root = resolve(options.rendererDir);
  return (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (devOrigin) return parsed.origin === devOrigin;
    if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
    let path: string;
    try {
      path = fileURLToPath(parsed);
    } catch {
      return false;
    }
    const rel = relative(root, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
}
