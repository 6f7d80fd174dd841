/** Hosts the app may open in the user's browser: Azure and MLflow documentation and portals only. */
export const EXTERNAL_HOST_ALLOWLIST: readonly string[] = [
  'learn.microsoft.com',
  'portal.azure.com',
  'ml.azure.com',
  'mlflow.org',
  'github.com',
];

/**
 * Whether `shell.openExternal` may receive this URL: https only (no file:, smb:, custom protocol handlers
 * — Electron security checklist "Do not use shell.openExternal with untrusted content"), an exact host on
 * the allowlist, no credentials in the URL.
 */
export function isAllowedExternalUrl(url: string, allowlist: readonly string[] = EXTERNAL_HOST_ALLOWLIST): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
  return allowlist.includes(parsed.hostname.toLowerCase());
}
