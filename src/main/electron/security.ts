import { shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../ports/logger';
import { isAllowedExternalUrl } from '@shared/external-links';

/**
 * Session-wide hardening (Electron security checklist): the CSP header on every response (the app:// handler
 * sends the same string itself, and the built index.html carries it as a meta tag) and no permission — camera, notifications,
 * clipboard-read, HID… — is ever granted: Preflight needs none.
 */
export function hardenSession(session: Session, csp: string, log: Logger): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((contents, permission, callback) => {
    log.warn(`denied permission request "${permission}" from ${contents.getURL()}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * Per-WebContents hardening, installed for every WebContents the app creates: navigation may not leave the
 * app, new windows are never opened (allowlisted https links go to the user's browser instead) and
 * <webview> cannot be attached.
 */
export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean, log: Logger): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openExternalIfAllowed(url, log);
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => {
    log.warn('blocked a <webview>');
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url, log);
    return { action: 'deny' };
  });
}

function openExternalIfAllowed(url: string, log: Logger): void {
  if (!isAllowedExternalUrl(url)) {
    log.warn(`blocked navigation to ${url.slice(0, 200)}`);
    return;
  }
  shell.openExternal(url).catch((err: unknown) => log.warn(`could not open ${url} in the browser`, err));
}

/**
 * Opens msal's system-browser sign-in page. Not on the link allowlist (sovereign clouds, the emulator), so it is
 * held to the configured cloud instead: https on exactly the authority host's origin, no credentials in the URL.
 */
export async function openSignInPage(signInUrl: string, authorityHost: string, log: Logger): Promise<void> {
  const url = new URL(signInUrl);
  if (url.protocol !== 'https:' || url.origin !== new URL(authorityHost).origin || url.username !== '' || url.password !== '') {
    log.warn(`refused to open a sign-in page outside ${authorityHost}`);
    throw new Error(`The sign-in page is not on ${authorityHost}.`);
  }
  await shell.openExternal(signInUrl);
}
