/**
 * The emulator's Entra ID: OpenID discovery, the token endpoint (client credentials, device code, refresh
 * token, authorization code) and the device-code endpoint, shaped as msal-node 7.x reads them
 * (azure.md §10). Tokens are random opaque strings remembered with their audience and expiry; a test can
 * expire them all at once (the "token expiry mid-operation" fault).
 */
import { X509Certificate, constants, createHash, randomBytes, randomUUID, verify } from 'node:crypto';

export interface IssuedToken {
  audience: string;
  expiresAt: number;
  subject: string;
}

export interface EntraIdentity {
  tenant: string;
  /** The service principal the emulator accepts (client credentials). */
  clientId: string;
  clientSecret: string;
  /** The certificate (PEM) registered for the service principal: client assertions must be signed by its key. */
  clientCertificatePem?: string;
  /** Public client ids accepted for user sign-in (device code, interactive). */
  publicClientIds: string[];
  user: EntraUser;
  /** More people of the tenant who can sign in (device code: the account typed on the page; browser: `login_hint`). */
  otherUsers?: EntraUser[];
}

export interface EntraUser {
  oid: string;
  name: string;
  username: string;
}

interface DeviceCode {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  approved: boolean;
  /** Who approved it (the device-login page's account; the default user when none is typed). */
  user: EntraUser | null;
  expiresAt: number;
}

export interface EntraReply {
  status: number;
  body: unknown;
}

const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

export class EmulatedEntra {
  readonly tokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, { scope: string; clientId: string; user: EntraUser; expired?: boolean }>();
  private readonly deviceCodes = new Map<string, DeviceCode>();
  private readonly authCodes = new Map<string, { clientId: string; scope: string; user: EntraUser }>();
  tokenLifetimeSeconds = 3600;

  constructor(
    readonly identity: EntraIdentity,
    private readonly baseUrl: () => string,
  ) {}

  private tenantOk(t: string): boolean {
    return t === this.identity.tenant || t === 'organizations' || t === 'common';
  }

  openIdConfiguration(tenant: string): EntraReply {
    if (!this.tenantOk(tenant)) return { status: 400, body: { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${tenant}' not found.` } };
    const base = `${this.baseUrl()}/${this.identity.tenant}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        issuer: `${base}/v2.0`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        tenant_region_scope: null,
        cloud_instance_name: 'emulator',
      },
    };
  }

  deviceCode(tenant: string, form: URLSearchParams): EntraReply {
    const clientId = form.get('client_id') ?? '';
    if (!this.tenantOk(tenant)) return this.error(400, 'invalid_tenant', `Tenant '${tenant}' not found.`);
    if (!this.identity.publicClientIds.includes(clientId)) return this.error(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`);
    const code: DeviceCode = {
      deviceCode: randomBytes(24).toString('base64url'),
      userCode: `${randomBytes(3).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`,
      clientId,
      scope: form.get('scope') ?? '',
      approved: false,
      user: null,
      expiresAt: Date.now() + 900_000,
    };
    this.deviceCodes.set(code.deviceCode, code);
    const verification = `${this.baseUrl()}/devicelogin`;
    return {
      status: 200,
      body: {
        device_code: code.deviceCode,
        user_code: code.userCode,
        verification_uri: verification,
        expires_in: 900,
        interval: 1,
        message: `To sign in, use a web browser to open the page ${verification} and enter the code ${code.userCode} to authenticate.`,
      },
    };
  }

  /** What the device-login page does when the user enters the code and signs in. */
  approveUserCode(userCode: string, account?: string | null): boolean {
    const user = this.userNamed(account);
    if (!user) return false;
    for (const c of this.deviceCodes.values()) {
      if (c.userCode.toUpperCase() === userCode.trim().toUpperCase() && c.expiresAt > Date.now()) {
        c.user = user;
        return (c.approved = true);
      }
    }
    return false;
  }

  /** Everyone who can sign in: the default user first. */
  get users(): EntraUser[] {
    return [this.identity.user, ...(this.identity.otherUsers ?? [])];
  }

  /** The user with this sign-in name (any case); the default user for none; null for a name the tenant does not have. */
  userNamed(username?: string | null): EntraUser | null {
    if (!username?.trim()) return this.identity.user;
    return this.users.find((u) => u.username.toLowerCase() === username.trim().toLowerCase()) ?? null;
  }

  /** Fault: every refresh token issued so far has expired (Entra's AADSTS700082: unused for too long), and so has every access token. */
  expireRefreshTokens(): void {
    for (const rt of this.refreshTokens.values()) rt.expired = true;
    this.expireAll();
  }

  /** Interactive sign-in: the canned user signs in at once and gets a code for the client's redirect. */
  authorize(query: URLSearchParams): { code: string; state: string | null; redirectUri: string | null; clientInfo: string } | { error: string } {
    const clientId = query.get('client_id') ?? '';
    if (!this.identity.publicClientIds.includes(clientId)) return { error: `AADSTS700016: Application with identifier '${clientId}' was not found.` };
    // The account picker's choice: msal sends the loginHint as login_hint; without one, the default user.
    const user = this.userNamed(query.get('login_hint')) ?? this.identity.user;
    const code = randomBytes(24).toString('base64url');
    this.authCodes.set(code, { clientId, scope: query.get('scope') ?? '', user });
    return { code, state: query.get('state'), redirectUri: query.get('redirect_uri'), clientInfo: this.clientInfo(user) };
  }

  token(tenant: string, form: URLSearchParams): EntraReply {
    if (!this.tenantOk(tenant)) return this.error(400, 'invalid_tenant', `Tenant '${tenant}' not found.`);
    const grant = form.get('grant_type');
    const scope = form.get('scope') ?? '';
    const clientId = form.get('client_id') ?? '';
    if (grant === 'client_credentials') {
      if (clientId !== this.identity.clientId) return this.error(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`);
      if (form.has('client_assertion')) {
        const problem = this.checkClientAssertion(form);
        if (problem) return this.error(401, 'invalid_client', problem);
        return this.appToken(scope, clientId);
      }
      if (form.get('client_secret') !== this.identity.clientSecret) return this.error(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
      return this.appToken(scope, clientId);
    }
    if (grant === 'device_code' || grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      const code = this.deviceCodes.get(form.get('device_code') ?? '');
      if (!code) return this.error(400, 'invalid_grant', 'AADSTS70000: The provided device code is unknown.');
      if (code.expiresAt < Date.now()) return this.error(400, 'expired_token', 'AADSTS70020: The provided value for the input parameter device_code is expired.');
      if (!code.approved) return this.error(400, 'authorization_pending', 'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
      this.deviceCodes.delete(code.deviceCode);
      return this.userToken(scope, code.clientId, code.user ?? this.identity.user);
    }
    if (grant === 'authorization_code') {
      const code = this.authCodes.get(form.get('code') ?? '');
      if (!code || !form.get('code_verifier')) return this.error(400, 'invalid_grant', 'AADSTS70000: The provided authorization code is invalid.');
      this.authCodes.delete(form.get('code')!);
      return this.userToken(scope, code.clientId, code.user);
    }
    if (grant === 'refresh_token') {
      const rt = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!rt) return this.error(400, 'invalid_grant', 'AADSTS700082: The refresh token has expired or is invalid.');
      if (rt.expired) return this.error(400, 'invalid_grant', `AADSTS700082: The refresh token has expired due to inactivity. The token was issued on ${new Date().toISOString()} and was inactive for 90.00:00:00.`);
      return this.userToken(scope, rt.clientId, rt.user);
    }
    return this.error(400, 'unsupported_grant_type', `AADSTS70003: The app requested an unsupported grant type '${grant}'.`);
  }

  /**
   * A certificate credential (RFC 7523 client assertion, as msal-node builds it): a JWT naming the registered
   * certificate by thumbprint, signed with its private key (PS256, or RS256 with a SHA-1 thumbprint), for this
   * token endpoint, from and about the client, within its time range. Returns why it is refused, or null.
   */
  private checkClientAssertion(form: URLSearchParams): string | null {
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return `AADSTS7000216: 'client_assertion_type' must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.`;
    if (!this.identity.clientCertificatePem) return 'AADSTS700027: No certificate is registered for this application.';
    const parts = (form.get('client_assertion') ?? '').split('.');
    if (parts.length !== 3) return 'AADSTS50027: The client assertion is not a well-formed JWT.';
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return 'AADSTS50027: The client assertion is not a well-formed JWT.';
    }
    const cert = new X509Certificate(this.identity.clientCertificatePem);
    const der = cert.raw;
    const known = header['x5t#S256'] === createHash('sha256').update(der).digest('base64url') || header.x5t === createHash('sha1').update(der).digest('base64url');
    if (!known) return `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${String(header['x5t#S256'] ?? header.x5t)}']`;
    const alg = header.alg;
    if (alg !== 'PS256' && alg !== 'RS256') return `AADSTS5002730: Unsupported client assertion algorithm '${String(alg)}'.`;
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const key = alg === 'PS256' ? { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : { key: cert.publicKey, padding: constants.RSA_PKCS1_PADDING };
    if (!verify('sha256', signed, key, Buffer.from(parts[2]!, 'base64url'))) return 'AADSTS7000274: Client assertion failed signature validation.';
    const now = Math.floor(Date.now() / 1000);
    const audience = `${this.baseUrl()}/${this.identity.tenant}/oauth2/v2.0/token`;
    if (claims.aud !== audience) return `AADSTS700016: The client assertion's audience '${String(claims.aud)}' is not this token endpoint (${audience}).`;
    if (claims.iss !== this.identity.clientId || claims.sub !== this.identity.clientId) return 'AADSTS700023: The client assertion must be issued by and about the client (iss and sub equal to client_id).';
    if (typeof claims.exp !== 'number' || claims.exp < now || (typeof claims.nbf === 'number' && claims.nbf > now + 300)) return 'AADSTS700024: Client assertion is not within its valid time range.';
    return null;
  }

  /** The audience a `<resource>/.default` scope asks for. */
  private audienceOf(scope: string): string | null {
    const resource = scope.split(' ').find((s) => s.endsWith('/.default'));
    return resource ? resource.slice(0, -'/.default'.length) : null;
  }

  private issue(audience: string, subject: string): string {
    const token = `emu.${b64url({ aud: audience, sub: subject })}.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { audience, subject, expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000 });
    return token;
  }

  private appToken(scope: string, clientId: string): EntraReply {
    const audience = this.audienceOf(scope);
    if (!audience) return this.error(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`);
    return { status: 200, body: { token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds, ext_expires_in: this.tokenLifetimeSeconds, access_token: this.issue(audience, clientId) } };
  }

  private clientInfo(user: EntraUser): string {
    return b64url({ uid: user.oid, utid: this.identity.tenant });
  }

  private userToken(scope: string, clientId: string, user: EntraUser): EntraReply {
    const audience = this.audienceOf(scope);
    if (!audience) return this.error(400, 'invalid_scope', `AADSTS70011: The provided value for scope ${scope} names no resource.`);
    const refresh = randomBytes(32).toString('base64url');
    this.refreshTokens.set(refresh, { scope, clientId, user });
    const { tenant } = this.identity;
    const now = Math.floor(Date.now() / 1000);
    const idToken = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ aud: clientId, iss: `${this.baseUrl()}/${tenant}/v2.0`, iat: now, nbf: now, exp: now + 3600, name: user.name, oid: user.oid, preferred_username: user.username, sub: randomUUID(), tid: tenant, ver: '2.0' })}.sig`;
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        scope: `${audience}/.default openid profile offline_access`,
        expires_in: this.tokenLifetimeSeconds,
        ext_expires_in: this.tokenLifetimeSeconds,
        access_token: this.issue(audience, user.oid),
        refresh_token: refresh,
        id_token: idToken,
        client_info: this.clientInfo(user),
      },
    };
  }

  /** Who a bearer token belongs to, or why it is refused (ARM's codes). */
  check(authorization: string | undefined, audience: string): { ok: true; token: IssuedToken } | { ok: false; code: string; message: string } {
    const raw = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!raw) return { ok: false, code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." };
    const token = this.tokens.get(raw);
    if (!token) return { ok: false, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
    if (token.expiresAt <= Date.now()) return { ok: false, code: 'ExpiredAuthenticationToken', message: `The access token expiry UTC time '${new Date(token.expiresAt).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.` };
    if (token.audience !== audience) return { ok: false, code: 'InvalidAuthenticationTokenAudience', message: `The access token has been obtained for wrong audience or resource '${token.audience}'. It should exactly match with one of the allowed audiences '${audience}'.` };
    return { ok: true, token };
  }

  /** Fault: every token issued so far expires now (clients must fetch a new one and retry). */
  expireAll(): void {
    for (const t of this.tokens.values()) t.expiresAt = Date.now() - 1000;
  }

  private error(status: number, error: string, description: string): EntraReply {
    return { status, body: { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() } };
  }
}
