import { AppError, ErrorCodes } from '@shared/errors';
import type { azureViewMethods } from '@shared/ipc/azure-view-contract';
import type { AppEvents } from '../../app/events';
import type { ClipboardPort } from '../../ports/clipboard';
import type { AzureService } from '../../services/azure/azure-service';
import type { Handlers } from '../dispatch';
import type { CancellableRuns } from './cancellable-runs';

export interface AzureViewDeps {
  azure: AzureService;
  events: Pick<AppEvents, 'emit'>;
  /** Deploys, deletes, sign-ins and invokes a window may stop waiting for (`azure.cancel`). */
  runs: CancellableRuns;
  clipboard: ClipboardPort;
  /** Where a key goes when there is no clipboard (browser mode: the host's terminal). Never a log file. */
  announceSecret?: (line: string) => void;
  /** Opens the system browser (Electron: shell.openExternal); hosts without one leave it out. */
  openBrowser?: (url: string) => Promise<void>;
}

type ViewHandlers = Pick<Handlers['azure'], keyof typeof azureViewMethods>;

/** The Azure view's sign-in, subscriptions, cancel and key calls (`azure-view-contract.ts`). */
export function azureViewHandlers(deps: AzureViewDeps): ViewHandlers {
  const { azure, events, runs, clipboard } = deps;
  const ref = (i: Parameters<typeof azure.workspaceRef>[0]) => azure.workspaceRef(i);
  return {
    loginServicePrincipal: ({ tenant, clientId, clientSecret }) => azure.login({ method: 'service-principal', tenant, clientId, clientSecret }),
    loginInteractive: async ({ tenant, clientId, operationId }, ctx) => {
      const run = runs.start(ctx, operationId);
      let signInUrl: string | null = null;
      try {
        const signIn = azure.login({
          method: 'interactive',
          tenant,
          clientId,
          signal: run.signal,
          openBrowser: async (url) => {
            signInUrl = url;
            events.emit('azure.sign-in-url', { url });
            // msal waits for the redirect either way: a browser that cannot be opened leaves the link in the view.
            await deps.openBrowser?.(url).catch(() => undefined);
          },
        });
        // msal's loopback wait takes no signal: cancelling answers its loopback redirect with an error, which
        // closes msal's listener (otherwise it would wait for a browser that never comes).
        run.signal.addEventListener('abort', () => void (signInUrl && closeLoopback(signInUrl)), { once: true });
        return await untilAborted(signIn, run.signal, 'Browser sign-in');
      } finally {
        run.end();
      }
    },
    loginAzureCli: ({ tenant }) => azure.login({ method: 'azure-cli', tenant }),
    subscriptions: async () => (await azure.subscriptions()).map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName, state: s.state })),
    cancel: async ({ operationId }, ctx) => ({ cancelled: runs.cancel(ctx, operationId) }),
    copyKey: async (i) => {
      const key = await azure.endpointKey(ref(i), i.endpoint, i.which);
      if (clipboard.available) {
        await clipboard.writeText(key);
        return { copied: true, message: `The ${i.which ?? 'primary'} key of ${i.endpoint} is on the clipboard.` };
      }
      if (deps.announceSecret) {
        deps.announceSecret(`Azure endpoint ${i.endpoint} ${i.which ?? 'primary'} key: ${key}`);
        return { copied: false, message: 'Browser mode cannot reach this computer\'s clipboard, so the key is not sent to the page: the host printed it in the terminal that started it.' };
      }
      return { copied: false, message: clipboard.unavailableReason ?? 'This host has no clipboard; use Reveal to see the key.' };
    },
    revealKey: async (i) => ({ key: await azure.endpointKey(ref(i), i.endpoint, i.which) }),
  };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AppError(ErrorCodes.CANCELLED, `${what} cancelled.`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Sends msal's loopback listener the form_post error answer a sign-in page sends when the user gives up (with
 * the request's state, which msal checks), so it stops listening. Loopback redirect URLs only.
 */
async function closeLoopback(signInUrl: string): Promise<void> {
  const params = new URL(signInUrl).searchParams;
  const redirect = params.get('redirect_uri');
  const state = params.get('state');
  if (!redirect || !state) return;
  const target = new URL(redirect);
  if (target.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(target.hostname)) return;
  const body = new URLSearchParams({ error: 'access_denied', error_description: 'Sign-in cancelled in Preflight', state }).toString();
  await fetch(new URL('/', target), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(5000) }).then(
    (r) => r.body?.cancel(),
    () => undefined,
  );
}
