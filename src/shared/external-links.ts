/**
 * Hosts the app may open in the user's browser: Azure, MLflow, scikit-learn and PyPI documentation, the Azure
 * portals and GitHub (where the sources of readiness findings live). Shared so the renderer draws a link only
 * where the desktop app will really open it.
 */
export const EXTERNAL_HOST_ALLOWLIST: readonly string[] = [
  'learn.microsoft.com',
  'portal.azure.com',
  'ml.azure.com',
  'mlflow.org',
  'github.com',
  'pypi.org',
  'scikit-learn.org',
  // Entra ID sign-in pages the Azure view links to (device code: microsoft.com/devicelogin).
  'microsoft.com',
  'login.microsoft.com',
  'login.microsoftonline.com',
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

/** A finding's `reference`: one or more public links separated by spaces (older reports may use `; `). */
export function referenceLinks(reference: string): string[] {
  return reference.split(/[;\s]+/).filter((part) => part !== '');
}
