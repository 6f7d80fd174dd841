import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAppUrlCheck } from './app-origin';
import { APP_INDEX_URL } from './app-protocol';
import { isAllowedExternalUrl } from '@shared/external-links';
import { modelPathFromArgv } from './launch-args';
import { senderRefusal } from './sender-check';

describe('createAppUrlCheck (IPC sender and navigation boundary)', () => {
  const prod = createAppUrlCheck({});

  it('accepts pages of the app:// origin the renderer is served from', () => {
    expect(prod(APP_INDEX_URL)).toBe(true);
    expect(prod(`${APP_INDEX_URL}#/models`)).toBe(true);
    expect(prod('app://preflight/assets/index-abc.js')).toBe(true);
  });

  it('refuses file:// (even the built renderer), look-alike app hosts, ports, credentials and other schemes', () => {
    expect(prod(pathToFileURL('/opt/preflight/out/renderer/index.html').href)).toBe(false);
    expect(prod('file:///etc/passwd')).toBe(false);
    expect(prod('app://preflight.evil.example/index.html')).toBe(false);
    expect(prod('app://evil/index.html')).toBe(false);
    expect(prod('app://preflight:8080/index.html')).toBe(false);
    expect(prod('app://user@preflight/index.html')).toBe(false);
    expect(prod('app:preflight/index.html')).toBe(false);
    expect(prod('apps://preflight/index.html')).toBe(false);
    expect(prod('https://preflight/index.html')).toBe(false);
    expect(prod('https://example.com/')).toBe(false);
    expect(prod('not a url')).toBe(false);
  });

  it('in dev accepts exactly the dev-server origin', () => {
    const dev = createAppUrlCheck({ devServerUrl: 'http://localhost:5173' });
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('http://127.0.0.1:5173/')).toBe(false);
    expect(dev(APP_INDEX_URL)).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows https links to the documentation and portal hosts', () => {
    expect(isAllowedExternalUrl('https://learn.microsoft.com/azure/machine-learning/how-to-deploy-mlflow-models')).toBe(true);
    expect(isAllowedExternalUrl('https://ml.azure.com/')).toBe(true);
    expect(isAllowedExternalUrl('https://mlflow.org/docs/latest/')).toBe(true);
  });

  it('refuses http, other schemes, look-alike hosts, ports and credentials', () => {
    expect(isAllowedExternalUrl('http://learn.microsoft.com/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('https://learn.microsoft.com.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://evil.example/?u=https://github.com')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com:8443/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@github.com/')).toBe(false);
  });
});

describe('modelPathFromArgv', () => {
  it('reads the model folder after the app path in dev and after the executable when packaged', () => {
    expect(modelPathFromArgv(['/x/electron', '.', 'models/m1'], false, '/home/u')).toBe('/home/u/models/m1');
    expect(modelPathFromArgv(['/opt/Preflight', '/data/m1'], true, '/home/u')).toBe('/data/m1');
  });
  it('skips switches and returns null without a folder', () => {
    expect(modelPathFromArgv(['/x/electron', '.', '--no-sandbox', '--enable-logging'], false, '/')).toBeNull();
    expect(modelPathFromArgv(['/opt/Preflight', '--inspect=0', '/m'], true, '/')).toBe('/m');
  });
});

describe('senderRefusal (IPC sender check)', () => {
  const isApp = createAppUrlCheck({});
  const main = { url: APP_INDEX_URL, parent: null, processId: 4, routingId: 1 };

  it('accepts the app page in the main frame', () => {
    expect(senderRefusal({ ...main }, main, isApp)).toBeNull();
  });
  it('refuses a destroyed frame, a subframe, another frame and a foreign page', () => {
    expect(senderRefusal(null, main, isApp)).toBe('the calling frame is gone');
    expect(senderRefusal({ ...main, parent: main, routingId: 7 }, main, isApp)).toBe('calls are accepted from the main frame only');
    expect(senderRefusal({ ...main, routingId: 2 }, main, isApp)).toBe('calls are accepted from the main frame only');
    expect(senderRefusal({ ...main, url: 'https://evil.example/' }, { ...main, url: 'https://evil.example/' }, isApp)).toMatch(/is not the app/);
    const fileUrl = pathToFileURL('/opt/preflight/out/renderer/index.html').href;
    expect(senderRefusal({ ...main, url: fileUrl }, { ...main, url: fileUrl }, isApp)).toMatch(/is not the app/);
  });
});
