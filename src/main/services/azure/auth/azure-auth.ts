/**
 * Sign-in to Microsoft Entra ID with the real @azure/msal-node: service principal (client secret), device
 * code, system-browser sign-in (loopback, form_post) and "use my Azure CLI sign-in". The session (method,
 * tenant, client id, the msal token cache and a service principal's secret) lives in the SecretStore only;
 * tokens are handed to the ARM/scoring clients and never returned to a host.
 */
import { execFile } from 'node:child_process';
import { ConfidentialClientApplication, PublicClientApplication, type Configuration, type ICachePlugin, type TokenCacheContext } from '@azure/msal-node';
import { AppError, ErrorCodes } from '@shared/errors';
import type { CallOutput, EventPayload } from '@shared/ipc/contract';
import type { Logger } from '../../../ports/logger';
import type { SecretStore } from '../../../ports/secret-store';
import { PUBLIC_CLOUD, type AzureCloud } from '../cloud';
import { AzureErrorCodes, type HttpSend } from '../http';
import { parseClientCertificate } from './client-certificate';
import { entraSentence } from './entra-text';
import { msalNetworkClient } from './msal-network';

/**
 * Preflight's default public client id for user sign-in: the Azure CLI's (`04b07795-…`), which every tenant
 * already knows and which @azure/identity also uses for developer sign-in. Tenants that block the Azure CLI
 * block this too; `--client-id` / the setting names another app registration.
 */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/** Who is signed in and how (azure.loginDeviceCode's answer); `account` is the user's name, or the service principal's client id. */
export type AuthState = CallOutput<'azure', 'loginDeviceCode'>;
export type SignInMethod = NonNullable<AuthState['method']>;

interface Session {
  method: SignInMethod;
  tenant: string;
  clientId: string;
  clientSecret?: string;
  /** PEM (private key + certificate) of a service principal that signs in with a certificate. */
  clientCertificate?: string;
  account?: string;
  /** msal's id of the signed-in user: with two accounts in the cache, the one whose tokens this session uses. */
  homeAccountId?: string;
}

/** A user sign-in msal's cache can renew silently (the account picker's entries): no tokens, nothing secret. */
export interface KnownAccount {
  homeAccountId: string;
  username: string;
  tenant: string;
  clientId: string;
  method: 'device-code' | 'interactive';
}

const SESSION_KEY = 'azure.session';
const CACHE_KEY = 'azure.msalCache';
/** The user accounts signed in on this machine (since the last Sign out), for the account picker. */
const ACCOUNTS_KEY = 'azure.accounts';

/** What to show the user during device-code sign-in (the `azure.device-code` event). */
export type DeviceCodePrompt = EventPayload<'azure.device-code'>;

export class AzureAuth {
  private session: Session | null = null;
  private loaded = false;
  private readonly cliTokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly cloud: AzureCloud,
    private readonly http: HttpSend,
    private readonly secrets: SecretStore,
    private readonly log: Logger,
  ) {}

  private authority(tenant: string): string {
    return `${this.cloud.authorityHost}/${tenant}`;
  }

  private config(tenant: string, clientId: string, credential?: string | { certificatePem: string }): Configuration {
    const clientSecret = typeof credential === 'string' ? credential : undefined;
    const clientCertificate = typeof credential === 'object' ? parseClientCertificate(credential.certificatePem, 'the service principal certificate') : undefined;
    const host = new URL(this.cloud.authorityHost).host;
    const cachePlugin: ICachePlugin = {
      beforeCacheAccess: async (ctx: TokenCacheContext) => {
        const cached = await this.secrets.get(CACHE_KEY);
        if (cached) ctx.tokenCache.deserialize(cached);
      },
      afterCacheAccess: async (ctx: TokenCacheContext) => {
        if (ctx.cacheHasChanged) await this.secrets.set(CACHE_KEY, ctx.tokenCache.serialize());
      },
    };
    return {
      auth: {
        clientId,
        authority: this.authority(tenant),
        ...(clientSecret ? { clientSecret } : {}),
        ...(clientCertificate ? { clientCertificate } : {}),
        // Clouds other than public Azure: trust the configured host instead of asking login.microsoftonline.com.
        ...(this.cloud.authorityHost === PUBLIC_CLOUD.authorityHost ? {} : { knownAuthorities: [host] }),
      },
      cache: { cachePlugin },
      system: { networkClient: msalNetworkClient(this.http), loggerOptions: { piiLoggingEnabled: false, loggerCallback: () => {} } },
    };
  }

  private async load(): Promise<Session | null> {
    if (!this.loaded) {
      const raw = await this.secrets.get(SESSION_KEY);
      this.session = raw ? (JSON.parse(raw) as Session) : null;
      this.loaded = true;
    }
    return this.session;
  }

  private async save(session: Session): Promise<void> {
    this.session = session;
    this.loaded = true;
    await this.secrets.set(SESSION_KEY, JSON.stringify(session));
  }

  /** A user's sign-in: the session, and the account remembered for the picker (a second account joins the first). */
  private async saveUser(session: Session & { method: KnownAccount['method'] }): Promise<void> {
    await this.save(session);
    if (!session.homeAccountId) return;
    const known = (await this.knownAccounts()).filter((a) => a.homeAccountId !== session.homeAccountId);
    known.push({ homeAccountId: session.homeAccountId, username: session.account ?? session.homeAccountId, tenant: session.tenant, clientId: session.clientId, method: session.method });
    await this.secrets.set(ACCOUNTS_KEY, JSON.stringify(known));
  }

  private async knownAccounts(): Promise<KnownAccount[]> {
    const raw = await this.secrets.get(ACCOUNTS_KEY);
    try {
      return raw ? (JSON.parse(raw) as KnownAccount[]) : [];
    } catch {
      return [];
    }
  }

  /** The user accounts msal's cache still holds (the account picker), the one in use marked. */
  async accounts(): Promise<CallOutput<'azure', 'accounts'>> {
    const known = await this.knownAccounts();
    if (known.length === 0) return [];
    const cached = new Set((await new PublicClientApplication(this.config(known[0]!.tenant, known[0]!.clientId)).getTokenCache().getAllAccounts()).map((a) => a.homeAccountId));
    const s = await this.load();
    return known.filter((a) => cached.has(a.homeAccountId)).map((a) => ({ username: a.username, tenant: a.tenant, method: a.method, current: s?.homeAccountId === a.homeAccountId }));
  }

  /** Switches to another cached account without signing in again; its tokens renew silently (or it says to sign in again). */
  async useAccount(username: string, scope: string): Promise<AuthState> {
    const a = (await this.knownAccounts()).find((k) => k.username.toLowerCase() === username.toLowerCase());
    if (!a) throw new AppError(ErrorCodes.INVALID_INPUT, `No cached sign-in for "${username}": sign in with that account first (the picker lists the accounts signed in since the last Sign out).`);
    const previous = this.session;
    await this.save({ method: a.method, tenant: a.tenant, clientId: a.clientId, account: a.username, homeAccountId: a.homeAccountId });
    try {
      await this.token(scope, { forceRefresh: true });
    } catch (err) {
      // The other account cannot renew: stay with the one in use (token() cleared the session if its sign-in expired).
      if (previous) await this.save(previous);
      throw err;
    }
    return this.state();
  }

  async state(): Promise<AuthState> {
    const s = await this.load();
    return { signedIn: s !== null, method: s?.method ?? null, tenant: s?.tenant ?? null, clientId: s?.clientId ?? null, account: s?.account ?? null, secretStore: this.secrets.info().description };
  }

  /** Client secret, or a certificate (PEM with the private key) whose signed assertion proves who the app is. */
  async signInServicePrincipal(input: { tenant: string; clientId: string; clientSecret?: string; certificatePem?: string }, scope: string): Promise<AuthState> {
    if (!input.clientSecret === !input.certificatePem) throw new AppError(AzureErrorCodes.AZURE_AUTH, 'A service principal signs in with a client secret or a certificate, one of them.');
    const credential = input.certificatePem ? { certificatePem: input.certificatePem } : input.clientSecret;
    const cca = new ConfidentialClientApplication(this.config(input.tenant, input.clientId, credential));
    // skipCache: signing in proves this credential to Entra now, even when the cache holds a token of an earlier sign-in.
    await this.wrap(() => cca.acquireTokenByClientCredential({ scopes: [scope], skipCache: true }), 'Service principal sign-in failed', input.tenant);
    await this.save({ method: 'service-principal', tenant: input.tenant, clientId: input.clientId, ...(input.certificatePem ? { clientCertificate: input.certificatePem } : { clientSecret: input.clientSecret }), account: input.clientId });
    return this.state();
  }

  /** `signal`: the user's Cancel (or Ctrl+C) — msal stops polling and the sign-in ends E_CANCELLED, logged as info. */
  async signInDeviceCode(input: { tenant: string; clientId?: string; onCode: (prompt: DeviceCodePrompt) => void; signal?: AbortSignal }, scope: string): Promise<AuthState> {
    const clientId = input.clientId ?? AZURE_CLI_CLIENT_ID;
    const pca = new PublicClientApplication(this.config(input.tenant, clientId));
    const request = {
      scopes: [scope],
      cancel: false,
      deviceCodeCallback: (r: DeviceCodePrompt) => input.onCode({ message: r.message, userCode: r.userCode, verificationUri: r.verificationUri }),
    };
    const onAbort = (): void => void (request.cancel = true);
    input.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The user pressed Cancel (or Ctrl+C): msal says device_code_polling_cancelled and "see aka.ms"; it is no failure.
      const result = await this.wrap(() => pca.acquireTokenByDeviceCode(request), 'Device-code sign-in failed', input.tenant, { cancelled: { what: 'Device-code sign-in', signal: input.signal } });
      await this.saveUser({ method: 'device-code', tenant: input.tenant, clientId, account: result?.account?.username ?? result?.account?.name ?? undefined, homeAccountId: result?.account?.homeAccountId });
    } finally {
      input.signal?.removeEventListener('abort', onAbort);
    }
    return this.state();
  }

  /**
   * System-browser sign-in: msal listens on a loopback port and the host opens the URL in the user's browser.
   * `signal`: set when the host's Cancel ended the wait (it closes msal's listener), so that is told apart from a failure.
   */
  async signInInteractive(input: { tenant: string; clientId?: string; openBrowser: (url: string) => Promise<void>; signal?: AbortSignal }, scope: string): Promise<AuthState> {
    const clientId = input.clientId ?? AZURE_CLI_CLIENT_ID;
    const pca = new PublicClientApplication(this.config(input.tenant, clientId));
    const result = await this.wrap(
      () =>
        pca.acquireTokenInteractive({
          scopes: [scope],
          openBrowser: input.openBrowser,
          successTemplate: '<p>Signed in to Preflight. You can close this window.</p>',
          // msal shows this page as it is (no {{error}} filled in); Preflight says what happened: cancelled or why it failed.
          errorTemplate: '<p>Sign-in did not finish. Return to Preflight: it says whether it was cancelled or why it failed.</p>',
        }),
      'Browser sign-in failed',
      input.tenant,
      { cancelled: { what: 'Browser sign-in', signal: input.signal, onPage: true } },
    );
    await this.saveUser({ method: 'interactive', tenant: input.tenant, clientId, account: result.account?.username ?? undefined, homeAccountId: result.account?.homeAccountId });
    return this.state();
  }

  /** "Use my Azure CLI sign-in": tokens come from `az account get-access-token`, as Azure's own SDKs do. */
  async signInAzureCli(input: { tenant?: string }, scope: string): Promise<AuthState> {
    await this.azCliToken(scope, input.tenant ?? null);
    await this.save({ method: 'azure-cli', tenant: input.tenant ?? 'from-azure-cli', clientId: AZURE_CLI_CLIENT_ID, account: 'Azure CLI sign-in' });
    return this.state();
  }

  /** An access token for `scope` (`<resource>/.default`); forceRefresh after the service said the token expired. */
  async token(scope: string, options: { forceRefresh?: boolean } = {}): Promise<string> {
    const s = await this.load();
    if (!s) throw new AppError(AzureErrorCodes.AZURE_AUTH, 'Not signed in to Azure. Run `preflight azure login` (or sign in from the Azure view) first.');
    if (s.method === 'azure-cli') return this.azCliToken(scope, s.tenant === 'from-azure-cli' ? null : s.tenant, options.forceRefresh);
    if (s.method === 'service-principal') {
      if (!s.clientSecret && !s.clientCertificate) throw new AppError(AzureErrorCodes.AZURE_AUTH, 'The saved service principal sign-in has no secret or certificate; sign in again.');
      const cca = new ConfidentialClientApplication(this.config(s.tenant, s.clientId, s.clientCertificate ? { certificatePem: s.clientCertificate } : s.clientSecret));
      const r = await this.wrap(() => cca.acquireTokenByClientCredential({ scopes: [scope], skipCache: options.forceRefresh === true }), 'Getting a token for the service principal failed', s.tenant, {
        // The saved secret or certificate was revoked, expired or rotated since sign-in: only a new sign-in helps.
        after: 'The saved sign-in no longer works: sign in again with a current secret or certificate (Sign out and sign in on the Azure tab, or `preflight azure login`).',
      });
      if (!r?.accessToken) throw new AppError(AzureErrorCodes.AZURE_AUTH, 'Entra ID returned no access token for the service principal.');
      return r.accessToken;
    }
    const pca = new PublicClientApplication(this.config(s.tenant, s.clientId));
    const accounts = await pca.getTokenCache().getAllAccounts();
    // Two accounts in the cache: this session's, never simply the first (tokens of the other person otherwise).
    const account = s.homeAccountId ? accounts.find((a) => a.homeAccountId === s.homeAccountId) : (accounts.find((a) => a.username === s.account) ?? accounts[0]);
    if (!account) throw new AppError(AzureErrorCodes.AZURE_AUTH, `The saved Azure sign-in${s.account ? ` of ${s.account}` : ''} has expired or was cleared. Sign in again (the Azure tab's Sign in, or \`preflight azure login\`).`, { details: { signInAgain: true } });
    try {
      const r = await pca.acquireTokenSilent({ account, scopes: [scope], forceRefresh: options.forceRefresh === true });
      return r.accessToken;
    } catch (err) {
      const e = err as { errorCode?: string; errorMessage?: string; message?: string };
      if (!needsNewSignIn(e)) return this.wrap(() => Promise.reject(err), 'Renewing the Azure sign-in failed; sign in again', s.tenant);
      // The refresh token expired (unused too long, revoked, password changed): no retry helps. Forget this sign-in so
      // the Azure tab shows Sign in again (the other cached accounts stay in the picker) instead of failing each call.
      await pca.getTokenCache().removeAccount(account);
      await this.secrets.delete(SESSION_KEY);
      this.session = null;
      const entra = entraSentence((e.errorMessage || e.message || '').split('\n')[0]!);
      this.log.warn(`azure sign-in: the sign-in expired and must be renewed (${e.errorCode ?? 'interaction_required'})`);
      throw new AppError(AzureErrorCodes.AZURE_AUTH, `Your Azure sign-in${s.account ? ` as ${s.account}` : ''} has expired and cannot be renewed without you (Entra ID: ${entra || e.errorCode}). Sign in again: the Azure tab's Sign in, or \`preflight azure login\`.`, { cause: err, details: { signInAgain: true } });
    }
  }

  async signOut(): Promise<AuthState> {
    await this.secrets.delete(CACHE_KEY);
    await this.secrets.delete(SESSION_KEY);
    await this.secrets.delete(ACCOUNTS_KEY);
    this.session = null;
    this.cliTokens.clear();
    return this.state();
  }

  private async azCliToken(scope: string, tenant: string | null, force = false): Promise<string> {
    const cached = this.cliTokens.get(scope);
    if (!force && cached && cached.expiresAt - 300_000 > Date.now()) return cached.token;
    const resource = scope.replace(/\/\.default$/, '');
    const args = ['account', 'get-access-token', '--resource', resource, '--output', 'json', ...(tenant ? ['--tenant', tenant] : [])];
    const out = await new Promise<string>((resolve, reject) =>
      execFile('az', args, { timeout: 60_000, windowsHide: true, shell: process.platform === 'win32' }, (err, stdout, stderr) => {
        if (err) {
          const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
          const said = (stderr.trim().split('\n').slice(-1)[0] || err.message).replace(/[.\s]+$/, '');
          reject(new AppError(AzureErrorCodes.AZURE_AUTH, missing ? 'The Azure CLI (`az`) is not installed or not on PATH; install it and run `az login`, or choose another sign-in method.' : `The Azure CLI could not give a token: ${said}. Run \`az login\` and try again.`));
        } else resolve(stdout);
      }),
    );
    const parsed = JSON.parse(out) as { accessToken: string; expires_on?: number; expiresOn?: string };
    const expiresAt = parsed.expires_on ? parsed.expires_on * 1000 : Date.parse(parsed.expiresOn ?? '') || Date.now() + 600_000;
    this.cliTokens.set(scope, { token: parsed.accessToken, expiresAt });
    return parsed.accessToken;
  }

  /**
   * Why msal could not read the tenant's sign-in metadata (its `endpoints_resolution_error` says only "see aka.ms"):
   * Entra's own answer for `<authority>/v2.0/.well-known/openid-configuration` — for an unknown tenant
   * `AADSTS90002: Tenant '…' not found` — or why that address could not be reached.
   */
  private async authorityProblem(tenant: string): Promise<string> {
    const url = `${this.authority(encodeURIComponent(tenant))}/v2.0/.well-known/openid-configuration`;
    const fix = `Check the tenant: its directory (tenant) id or a verified domain, as the Azure portal shows under Microsoft Entra ID → Overview`;
    try {
      const r = await this.http({ method: 'GET', url, timeoutMs: 30_000 });
      if (r.status >= 200 && r.status < 300) return `Entra ID at ${this.cloud.authorityHost} answered ${url} but msal could not use it. ${fix}.`;
      let said = '';
      try {
        const body = JSON.parse(r.text) as { error?: unknown; error_description?: unknown };
        if (typeof body.error_description === 'string') said = entraSentence(body.error_description.split('\n')[0]!).replace(/\.$/, '');
      } catch {
        // Not JSON: the status says enough.
      }
      return `Entra ID does not know tenant "${tenant}" (${r.status}${said ? `: ${said}` : ''}). ${fix}.`;
    } catch (err) {
      return `${(err as Error).message}`;
    }
  }

  /**
   * msal's errors as AppErrors with Entra's own sentence, logged as warnings. `cancelled`: a user sign-in stopped by
   * Preflight's Cancel (its signal; msal then fails with device_code_polling_cancelled, or the access_denied Preflight
   * posts to its loopback listener) is E_CANCELLED and an info line, not a failure.
   */
  private async wrap<T>(fn: () => Promise<T>, what: string, tenant?: string, options: { after?: string; cancelled?: { what: string; signal?: AbortSignal; onPage?: boolean } } = {}): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError) throw err;
      const e = err as { errorCode?: string; errorMessage?: string; message?: string };
      if (options.cancelled?.signal?.aborted) {
        this.log.info(`azure sign-in: ${options.cancelled.what.toLowerCase()} cancelled (${e.errorCode ?? 'stopped'})`);
        throw new AppError(ErrorCodes.CANCELLED, `${options.cancelled.what} cancelled.`, { cause: err });
      }
      if (options.cancelled?.onPage && cancelledOnSignInPage(e)) {
        this.log.info(`azure sign-in: ${options.cancelled.what.toLowerCase()} cancelled on the sign-in page (access_denied/cancel)`);
        throw new AppError(ErrorCodes.CANCELLED, `${options.cancelled.what} cancelled: Cancel (or Back) was pressed on Microsoft's sign-in page, so nobody was signed in. Sign in again when you are ready.`, { cause: err });
      }
      if (e.errorCode === 'endpoints_resolution_error' && tenant !== undefined) {
        this.log.warn(`azure sign-in: ${what} (${e.errorCode})`);
        throw new AppError(AzureErrorCodes.AZURE_AUTH, `${what}: ${await this.authorityProblem(tenant)}`, { cause: err });
      }
      const raw = (e.errorMessage || e.message || String(err)).split('\n')[0]!;
      // msal wraps Entra's text as "Error(s): N - Timestamp: … - Description: AADSTS…: … - Correlation ID: …": keep Entra's sentence.
      const detail = entraSentence(raw);
      this.log.warn(`azure sign-in: ${what} (${e.errorCode ?? 'error'})`);
      const after = options.after && /^invalid_client$|^unauthorized_client$/.test(e.errorCode ?? '') ? ` ${options.after}` : '';
      throw new AppError(AzureErrorCodes.AZURE_AUTH, `${what}: ${e.errorCode ? `${e.errorCode}: ` : ''}${detail}${after}`, { cause: err });
    }
  }
}

/**
 * Cancel (or Back) on Microsoft's sign-in page redirects with `error=access_denied&error_subcode=cancel` and no code
 * (MSAL.NET reads that as UserCancel). msal-node 7 drops `error_subcode` (it reads `suberror`), so a bare
 * access_denied — no AADSTS description — is read as the cancel too; a refusal (consent, policy) carries its AADSTS text.
 */
export function cancelledOnSignInPage(e: { errorCode?: string; errorMessage?: string; subError?: string }): boolean {
  if (e.errorCode !== 'access_denied') return false;
  return e.subError === 'cancel' || !/AADSTS\d+/.test(e.errorMessage ?? '');
}

/** msal's silent renewal failed for a reason only a new interactive sign-in fixes (expired or revoked refresh token). */
function needsNewSignIn(e: { errorCode?: string; errorMessage?: string }): boolean {
  return e.errorCode === 'invalid_grant' || e.errorCode === 'interaction_required' || e.errorCode === 'consent_required' || e.errorCode === 'login_required' || /AADSTS(700082|50173|70043|700084)/.test(e.errorMessage ?? '');
}
