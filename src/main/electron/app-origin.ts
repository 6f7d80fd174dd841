import { APP_HOST, APP_SCHEME } from './app-protocol';

/**
 * Decides whether a URL belongs to the app itself: the `ELECTRON_RENDERER_URL` dev-server origin in
 * development, otherwise exactly the `app://preflight` origin the renderer is served from (app-protocol.ts).
 * file:// is never the app: file URLs share the opaque origin "null", so any local page could pass as it.
 * Used for IPC sender checks and navigation. Pure on purpose (no electron import) so it is unit-tested.
 */
export function createAppUrlCheck(options: { devServerUrl?: string | null }): (url: string) => boolean {
  const devOrigin = options.devServerUrl ? new URL(options.devServerUrl).origin : null;
  return (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (devOrigin) return parsed.origin === devOrigin;
    // WHATWG URL gives non-special schemes an opaque origin ("null"), so compare the parts: scheme, host, and
    // nothing that could make a look-alike (credentials, a port).
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  };
}
