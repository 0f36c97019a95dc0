import {
  createLocalJWKSet,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { randomBytes } from 'node:crypto';
import { namedGuid } from '../util/ids';
import { Aad, AadError } from './aad-error';
import { AuthorizationCodes, type AuthorizationGrant } from './authorization-codes';
import { AuthFailure, type CallerIdentity } from './caller';
import type { Directory } from './directory';
import { parseScopes } from './scopes';
import type { EmulatorUser } from './users';

export interface UserAccount {
  username: string;
  name: string;
  oid: string;
  systemUserId: string;
  /** App roles on the app registration (the id_token's `roles`). */
  roles: string[];
  /** Security group object ids (the id_token's `groups`). */
  groups: string[];
}

export interface PendingDeviceCode {
  userCode: string;
  clientId: string;
  scope: string;
  expiresAt: Date;
  status: 'pending' | 'approved' | 'declined';
}

interface DeviceCodeEntry extends PendingDeviceCode {
  deviceCode: string;
  user?: UserAccount;
  redeemed: boolean;
}

interface RefreshEntry {
  clientId: string;
  user: UserAccount;
  issuedMs: number;
}

export const DEFAULT_USERNAME = 'admin@emulator.onmicrosoft.com';

/** Microsoft Graph's application id: the audience of a sign-in's access token. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Verified tokens remembered at most (then forgotten all at once and verified again). */
const MAX_VERIFIED_TOKENS = 10_000;

type Form = URLSearchParams;
type TokenResponse = Record<string, string | number>;

/**
 * The Entra ID side: issues signed access tokens (client credentials, device code, refresh
 * token), keeps device codes and refresh tokens, and verifies bearer tokens for Dataverse.
 */
export class TokenService {
  private origin = 'https://127.0.0.1';
  /** Tokens issued before this instant are treated as expired (the "all tokens expired" fault). */
  private notBeforeMs = 0;
  private refreshNotBeforeMs = 0;
  private readonly users = new Map<string, UserAccount>();
  private readonly usersByOid = new Map<string, UserAccount>();
  private readonly deviceCodes = new Map<string, DeviceCodeEntry>();
  private readonly refreshTokens = new Map<string, RefreshEntry>();
  private readonly authorizationCodes = new AuthorizationCodes();
  private readonly keySet: JWTVerifyGetKey;
  /** Tokens verified already: the caller they stand for, their expiry and issue time. */
  private readonly verified = new Map<
    string,
    { caller: CallerIdentity; expiresSec: number; issuedMs: number }
  >();

  constructor(
    readonly directory: Directory,
    private readonly settings: {
      seed: number;
      tokenLifetimeSeconds: number;
      deviceCodeIntervalSeconds: number;
      deviceCodeLifetimeSeconds: number;
      users?: EmulatorUser[];
    },
  ) {
    this.keySet = createLocalJWKSet({ keys: [directory.signingKey.publicJwk] });
    for (const user of settings.users ?? []) this.user(user.username, user);
    this.user(DEFAULT_USERNAME);
  }

  setOrigin(origin: string): void {
    this.origin = origin;
  }

  get orgUrl(): string {
    return this.origin;
  }

  get authority(): string {
    return `${this.origin}/${this.directory.tenantId}`;
  }

  get issuer(): string {
    return `${this.authority}/v2.0`;
  }

  set tokenLifetimeSeconds(seconds: number) {
    if (!(seconds > 0)) throw new RangeError('tokenLifetimeSeconds must be positive');
    this.settings.tokenLifetimeSeconds = seconds;
  }

  get tokenLifetimeSeconds(): number {
    return this.settings.tokenLifetimeSeconds;
  }

  /**
   * The tenant id, its domain, or (as for a multi-tenant app) `organizations` or `common`, whose
   * users are this tenant's: the one tenant of the emulator.
   */
  isTenant(segment: string): boolean {
    const lower = segment.toLowerCase();
    return (
      lower === this.directory.tenantId ||
      lower === this.directory.tenantDomain ||
      lower === 'organizations' ||
      lower === 'common'
    );
  }

  /** The people the sign-in page lists, in the order configured. */
  listUsers(): UserAccount[] {
    return [...this.users.values()];
  }

  /** Finds a user by user principal name (case-insensitive). */
  findUser(username: string): UserAccount | undefined {
    return this.users.get(username.toLowerCase());
  }

  /** Finds or creates a user of the tenant by user principal name. */
  user(username: string, profile?: EmulatorUser): UserAccount {
    const key = username.toLowerCase();
    let account = this.users.get(key);
    if (!account) {
      const local = key.split('@')[0];
      account = {
        username: key,
        name:
          profile?.name ?? local.replace(/[._-]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
        oid: namedGuid(this.settings.seed, `user:${key}`),
        systemUserId: namedGuid(this.settings.seed, `systemuser:${key}`),
        roles: [...(profile?.roles ?? [])],
        groups: [...(profile?.groups ?? [])],
      };
      this.users.set(key, account);
      this.usersByOid.set(account.oid, account);
    }
    return account;
  }

  /**
   * The OpenID configuration under `/{tenant}`. For `organizations` and `common` the endpoints
   * stay under that segment and the issuer reads `{tenantid}`, as Entra ID answers.
   */
  openIdConfiguration(tenantSegment?: string): Record<string, unknown> {
    const multi =
      tenantSegment !== undefined &&
      ['organizations', 'common'].includes(tenantSegment.toLowerCase());
    const base = multi ? `${this.origin}/${tenantSegment.toLowerCase()}` : this.authority;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: multi ? `${this.origin}/{tenantid}/v2.0` : this.issuer,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.origin}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'nbf',
        'name',
        'oid',
        'tid',
        'preferred_username',
        'nonce',
        'roles',
        'groups',
      ],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'emulator.local',
      cloud_graph_host_name: 'graph.emulator.local',
      msgraph_host: 'graph.emulator.local',
      rbac_url: 'https://pas.emulator.local',
    };
  }

  jwks(): { keys: unknown[] } {
    return {
      keys: [{ ...this.directory.signingKey.publicJwk, x5t: this.directory.signingKey.kid }],
    };
  }

  /** POST /{tenant}/oauth2/v2.0/token. */
  async token(form: Form): Promise<TokenResponse> {
    const grant = form.get('grant_type');
    if (!grant) throw Aad.missingParameter('grant_type');
    switch (grant) {
      case 'client_credentials':
        return this.clientCredentials(form);
      case 'urn:ietf:params:oauth:grant-type:device_code':
      case 'device_code':
        return this.redeemDeviceCode(form);
      case 'refresh_token':
        return this.redeemRefreshToken(form);
      case 'authorization_code':
        return this.redeemAuthorizationCode(form);
      default:
        throw Aad.unsupportedGrant(grant);
    }
  }

  /** POST /{tenant}/oauth2/v2.0/devicecode. */
  deviceCode(form: Form): Record<string, string | number> {
    const clientId = this.checkClient(form, false);
    const scope = form.get('scope');
    if (!scope) throw Aad.missingParameter('scope');
    parseScopes(scope, this.orgUrl, this.directory.tenantId);
    const entry: DeviceCodeEntry = {
      deviceCode: randomBytes(48).toString('base64url'),
      userCode: userCode(),
      clientId,
      scope,
      expiresAt: new Date(Date.now() + this.settings.deviceCodeLifetimeSeconds * 1000),
      status: 'pending',
      redeemed: false,
    };
    this.deviceCodes.set(entry.deviceCode, entry);
    const verificationUri = `${this.origin}/devicelogin`;
    return {
      user_code: entry.userCode,
      device_code: entry.deviceCode,
      verification_uri: verificationUri,
      expires_in: this.settings.deviceCodeLifetimeSeconds,
      interval: this.settings.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${entry.userCode} to authenticate.`,
    };
  }

  /**
   * The person picked a user on the sign-in page: a code for the client's redirect URI.
   * The authorize endpoint has checked the request (client, redirect URI, PKCE method).
   */
  issueAuthorizationCode(grant: AuthorizationGrant): string {
    return this.authorizationCodes.issue(grant);
  }

  /** Whether `clientId` is the app registration (the authorize endpoint checks it first). */
  isClient(clientId: string): boolean {
    return clientId.toLowerCase() === this.directory.clientId;
  }

  pendingDeviceCodes(): PendingDeviceCode[] {
    return [...this.deviceCodes.values()]
      .filter((e) => !e.redeemed && e.expiresAt.getTime() > Date.now())
      .map(({ userCode, clientId, scope, expiresAt, status }) => ({
        userCode,
        clientId,
        scope,
        expiresAt,
        status,
      }));
  }

  /**
   * Stands in for the person who opens the verification page and signs in. Without a user
   * code, approves the newest pending code. Returns the approved code and user.
   */
  approveDeviceCode(
    userCode?: string,
    username = DEFAULT_USERNAME,
  ): { userCode: string; username: string } {
    const entry = this.findDeviceCode(userCode);
    entry.status = 'approved';
    entry.user = this.user(username);
    return { userCode: entry.userCode, username: entry.user.username };
  }

  declineDeviceCode(userCode?: string): { userCode: string } {
    const entry = this.findDeviceCode(userCode);
    entry.status = 'declined';
    return { userCode: entry.userCode };
  }

  /** Every access token issued so far is refused from now on as expired. */
  expireAllTokens(): void {
    this.notBeforeMs = Date.now() + 1;
  }

  /** Every refresh token issued so far is refused from now on (revoked). */
  revokeRefreshTokens(): void {
    this.refreshNotBeforeMs = Date.now() + 1;
  }

  /**
   * Verifies `Authorization: Bearer …` for the Dataverse side. A token whose signature and
   * claims were checked once is remembered with its expiry: later requests with it only check
   * the clock and the expiry fault (an RS256 verification per request was a visible share of a
   * small request's time).
   */
  async verify(authorization: string | undefined): Promise<CallerIdentity> {
    const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
    if (!match) throw new AuthFailure('missing', 'No bearer token was sent.');
    const token = match[1];
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresSec <= Math.floor(Date.now() / 1000) || known.issuedMs < this.notBeforeMs) {
        this.verified.delete(token);
        throw new AuthFailure('expired', 'The access token has expired.');
      }
      return known.caller;
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keySet, {
        issuer: this.issuer,
        audience: [this.orgUrl, `${this.orgUrl}/`],
        algorithms: ['RS256'],
      }));
    } catch (error) {
      throw authFailure(error);
    }
    const issued = issuedMs(payload);
    if (issued < this.notBeforeMs) {
      throw new AuthFailure('expired', 'The access token has expired.');
    }
    const caller = this.callerOf(payload);
    if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.clear();
    this.verified.set(token, { caller, expiresSec: payload.exp ?? 0, issuedMs: issued });
    return caller;
  }

  private callerOf(payload: JWTPayload): CallerIdentity {
    const oid = String(payload.oid);
    const appId = String(payload.appid);
    if (payload.idtyp === 'app') {
      return {
        kind: 'application',
        oid,
        appId,
        name: `${appId} application user`,
        systemUserId: this.directory.applicationUserId,
      };
    }
    const user = this.usersByOid.get(oid);
    if (!user) throw new AuthFailure('malformed', 'The token names a user unknown to this org.');
    return {
      kind: 'user',
      oid,
      appId,
      name: user.name,
      username: user.username,
      systemUserId: user.systemUserId,
    };
  }

  private findDeviceCode(userCode?: string): DeviceCodeEntry {
    const live = [...this.deviceCodes.values()].filter(
      (e) => !e.redeemed && e.expiresAt.getTime() > Date.now(),
    );
    const entry = userCode
      ? live.find((e) => e.userCode === userCode.toUpperCase())
      : live.filter((e) => e.status === 'pending').at(-1);
    if (!entry) {
      throw new RangeError(
        userCode ? `No live device code '${userCode}'` : 'No pending device code',
      );
    }
    return entry;
  }

  /** Checks client_id (and client_secret when required or sent); returns the client id. */
  private checkClient(form: Form, secretRequired: boolean): string {
    const clientId = form.get('client_id');
    if (!clientId) throw Aad.missingParameter('client_id');
    if (clientId.toLowerCase() !== this.directory.clientId) {
      throw Aad.unknownClient(clientId, this.directory.tenantId);
    }
    const secret = form.get('client_secret');
    if (secret === null) {
      if (secretRequired) throw Aad.missingSecret();
    } else if (secret !== this.directory.clientSecret) {
      throw Aad.invalidSecret(clientId);
    }
    return clientId.toLowerCase();
  }

  private async clientCredentials(form: Form): Promise<TokenResponse> {
    const clientId = this.checkClient(form, true);
    const scope = form.get('scope');
    if (!scope) throw Aad.missingParameter('scope');
    const parsed = parseScopes(scope, this.orgUrl, this.directory.tenantId);
    if (
      parsed.permissions.length !== 1 ||
      parsed.permissions[0] !== '.default' ||
      parsed.oidc.size > 0
    ) {
      throw Aad.clientCredentialScope(scope);
    }
    const accessToken = await this.sign({
      aud: this.orgUrl,
      appid: clientId,
      azp: clientId,
      idtyp: 'app',
      oid: this.directory.servicePrincipalId,
      sub: this.directory.servicePrincipalId,
      roles: ['user_impersonation'],
    });
    return {
      token_type: 'Bearer',
      expires_in: this.settings.tokenLifetimeSeconds,
      ext_expires_in: this.settings.tokenLifetimeSeconds,
      access_token: accessToken,
    };
  }

  private async redeemDeviceCode(form: Form): Promise<TokenResponse> {
    const clientId = this.checkClient(form, false);
    const code = form.get('device_code') ?? form.get('code');
    if (!code) throw Aad.missingParameter('device_code');
    const entry = this.deviceCodes.get(code);
    if (!entry || entry.redeemed || entry.clientId !== clientId) throw Aad.badDeviceCode();
    if (entry.expiresAt.getTime() <= Date.now()) {
      this.deviceCodes.delete(code);
      throw Aad.deviceCodeExpired();
    }
    if (entry.status === 'declined') throw Aad.authorizationDeclined();
    if (entry.status === 'pending' || !entry.user) throw Aad.authorizationPending();
    entry.redeemed = true;
    this.deviceCodes.delete(code);
    return this.userTokens(clientId, entry.user, form.get('scope') ?? entry.scope);
  }

  /** A confidential client redeems its code: secret, redirect URI and PKCE verifier checked. */
  private async redeemAuthorizationCode(form: Form): Promise<TokenResponse> {
    const clientId = this.checkClient(form, true);
    const code = form.get('code');
    if (!code) throw Aad.missingParameter('code');
    const grant = this.authorizationCodes.redeem(
      code,
      clientId,
      form.get('redirect_uri'),
      form.get('code_verifier'),
    );
    return this.userTokens(clientId, grant.user, form.get('scope') ?? grant.scope, grant.nonce);
  }

  private async redeemRefreshToken(form: Form): Promise<TokenResponse> {
    const clientId = this.checkClient(form, false);
    const token = form.get('refresh_token');
    if (!token) throw Aad.missingParameter('refresh_token');
    const entry = this.refreshTokens.get(token);
    if (!entry) throw Aad.invalidRefreshToken();
    if (entry.issuedMs < this.refreshNotBeforeMs) throw Aad.refreshTokenRevoked();
    if (entry.clientId !== clientId) throw Aad.refreshTokenClientMismatch();
    const scope = form.get('scope');
    if (!scope) throw Aad.missingParameter('scope');
    return this.userTokens(clientId, entry.user, scope);
  }

  private async userTokens(
    clientId: string,
    user: UserAccount,
    scope: string,
    nonce?: string,
  ): Promise<TokenResponse> {
    const parsed = parseScopes(scope, this.orgUrl, this.directory.tenantId);
    const bad = parsed.permissions.find((p) => p !== '.default' && p !== 'user_impersonation');
    if (bad !== undefined) throw Aad.invalidScope(`${this.orgUrl}/${bad}`);
    const tid = this.directory.tenantId;
    // Only OpenID scopes (a sign-in): Entra ID then answers a token for Microsoft Graph.
    const signInOnly = parsed.permissions.length === 0;
    const accessToken = await this.sign({
      aud: signInOnly ? GRAPH_APP_ID : this.orgUrl,
      appid: clientId,
      azp: clientId,
      idtyp: 'user',
      oid: user.oid,
      sub: user.oid,
      upn: user.username,
      name: user.name,
      scp: signInOnly ? 'openid profile email User.Read' : 'user_impersonation',
    });
    const response: TokenResponse = {
      token_type: 'Bearer',
      scope: signInOnly
        ? [...parsed.oidc].filter((s) => s !== 'offline_access').join(' ')
        : `${this.orgUrl}/user_impersonation`,
      expires_in: this.settings.tokenLifetimeSeconds,
      ext_expires_in: this.settings.tokenLifetimeSeconds,
      access_token: accessToken,
    };
    if (parsed.oidc.has('offline_access')) {
      const refresh = `0.emu.${randomBytes(96).toString('base64url')}`;
      this.refreshTokens.set(refresh, { clientId, user, issuedMs: Date.now() });
      response.refresh_token = refresh;
    }
    if (parsed.oidc.has('openid')) {
      response.id_token = await this.sign(
        {
          aud: clientId,
          oid: user.oid,
          sub: user.oid,
          preferred_username: user.username,
          name: user.name,
          ...(nonce !== undefined ? { nonce } : {}),
          ...(user.roles.length > 0 ? { roles: user.roles } : {}),
          ...(user.groups.length > 0 ? { groups: user.groups } : {}),
        },
        3600,
      );
    }
    response.client_info = Buffer.from(JSON.stringify({ uid: user.oid, utid: tid })).toString(
      'base64url',
    );
    return response;
  }

  private async sign(
    claims: Record<string, unknown>,
    lifetime = this.settings.tokenLifetimeSeconds,
  ): Promise<string> {
    const nowMs = Date.now();
    const now = Math.floor(nowMs / 1000);
    return new SignJWT({ ...claims, tid: this.directory.tenantId, uti: tokenId(nowMs), ver: '2.0' })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.directory.signingKey.kid })
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetime)
      .sign(this.directory.signingKey.privateKey);
  }
}

/** `uti`: a unique token id whose first 6 bytes carry the issue time in ms. */
function tokenId(nowMs: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  return bytes.toString('base64url');
}

function issuedMs(payload: JWTPayload): number {
  const uti = typeof payload.uti === 'string' ? Buffer.from(payload.uti, 'base64url') : undefined;
  return uti && uti.length >= 6 ? uti.readUIntBE(0, 6) : (payload.iat ?? 0) * 1000;
}

function userCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(9)].map((b) => alphabet[b % alphabet.length]).join('');
}

function authFailure(error: unknown): AuthFailure {
  if (error instanceof joseErrors.JWTExpired) {
    return new AuthFailure('expired', 'The access token has expired.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') {
      return new AuthFailure('audience', 'The access token audience is not this organization.');
    }
    if (error.claim === 'iss') {
      return new AuthFailure('issuer', 'The access token was not issued by this tenant.');
    }
    return new AuthFailure('malformed', `The access token claim '${error.claim}' is not valid.`);
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey
  ) {
    return new AuthFailure('signature', 'The access token signature is invalid.');
  }
  return new AuthFailure('malformed', 'The access token is malformed.');
}

export { AadError };
