import { Injectable, Logger } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { AppConfig } from '@platform/config/app-config';
import { Clock } from '@platform/clock/clock';
import { SecretBox } from '@platform/secrets/secret-box';
import { EntraSignInClient } from './entra-sign-in.client';
import type { Principal } from './principal';
import { roleFor } from './role-map';
import { SessionsService } from './sessions.service';
import { SignInEvents } from './sign-in-events';

/** What the browser keeps (sealed, in an HTTP-only cookie) between the redirect and the callback. */
interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  expiresAt: number;
}

const CONTEXT = 'people-sign-in';
/** Time a person has on the sign-in page before the callback is refused. */
export const SIGN_IN_MS = 10 * 60_000;

/** Why a sign-in ended without a session; the UI shows words for each. */
export type SignInFailure = 'no-role' | 'canceled' | 'failed';

export type SignInResult =
  { outcome: 'signed-in'; sessionId: string; principal: Principal } | { outcome: SignInFailure };

/**
 * Sign-in of people with Entra ID (OpenID Connect, authorization code with PKCE): `start`
 * answers where to send the browser and what it must keep; `complete` checks the callback
 * against it (state, then MSAL checks the nonce), maps the person's app roles or groups to a
 * role and opens a session. Every outcome is emitted on {@link SignInEvents}.
 */
@Injectable()
export class PeopleSignInService {
  private readonly logger = new Logger('SignIn');

  constructor(
    private readonly config: AppConfig,
    private readonly client: EntraSignInClient,
    private readonly sessions: SessionsService,
    private readonly box: SecretBox,
    private readonly events: SignInEvents,
    private readonly clock: Clock,
  ) {}

  async start(origin: string): Promise<{ url: string; pending: string }> {
    if (!this.config.peopleSignIn) {
      throw new AppError(
        ErrorCode.NOT_FOUND,
        'Sign-in with Entra ID is not configured on this server (OIDC_AUTHORITY and the other OIDC_ settings)',
      );
    }
    const pkce = await this.client.pkce();
    const pending: PendingSignIn = {
      state: randomBytes(32).toString('base64url'),
      nonce: randomBytes(32).toString('base64url'),
      verifier: pkce.verifier,
      redirectUri: `${this.config.PUBLIC_URL ?? origin}/auth/callback`,
      expiresAt: this.clock.now().getTime() + SIGN_IN_MS,
    };
    let url: string;
    try {
      url = await this.client.authCodeUrl({
        redirectUri: pending.redirectUri,
        state: pending.state,
        nonce: pending.nonce,
        codeChallenge: pkce.challenge,
      });
    } catch (error) {
      // MSAL reads the authority's OpenID configuration first: it may be down or unreachable.
      throw new AppError(
        ErrorCode.TEMPORARY,
        `Entra ID could not be asked where to sign in (${messageOf(error)}); try again shortly`,
        [],
        { cause: error },
      );
    }
    return { url, pending: this.box.sealJson(pending, CONTEXT) };
  }

  async complete(
    query: Record<string, unknown>,
    sealed: string | undefined,
    ip: string | undefined,
  ): Promise<SignInResult> {
    const fail = (outcome: SignInFailure, reason: string, principal?: Principal): SignInResult => {
      this.logger.warn(`A sign-in failed: ${reason}`);
      this.events.emit({ outcome: 'failed', reason, at: this.clock.now(), ip, principal });
      return { outcome };
    };
    const text = (key: string) => (typeof query[key] === 'string' ? query[key] : undefined);
    const pending = this.open(sealed);
    if (!pending) {
      return fail('failed', 'no sign-in was started in this browser, or it took over 10 minutes');
    }
    const state = text('state') ?? '';
    if (!same(state, pending.state)) {
      return fail('failed', 'the state returned by Entra ID is not the one this browser sent');
    }
    const error = text('error');
    if (error !== undefined) {
      const description = (text('error_description') ?? '').slice(0, 300);
      return fail(
        error === 'access_denied' ? 'canceled' : 'failed',
        `Entra ID answered ${error}${description ? `: ${description}` : ''}`,
      );
    }
    const code = text('code');
    if (!code) return fail('failed', 'the callback carried no authorization code');
    let person;
    try {
      person = await this.client.redeem({
        code,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.verifier,
        nonce: pending.nonce,
        state: pending.state,
        returnedState: state,
      });
    } catch (e) {
      return fail('failed', `redeeming the code failed: ${messageOf(e)}`);
    }
    const role = roleFor(person, this.config.OIDC_ROLE_MAP ?? []);
    if (role === null) {
      return fail(
        'no-role',
        `${person.username || person.oid} has none of the app roles or groups OIDC_ROLE_MAP lists`,
      );
    }
    const { id } = await this.sessions.create({ ...person, role });
    const principal: Principal = { kind: 'user', id: person.oid, name: person.name, role };
    this.events.emit({ outcome: 'signed-in', principal, at: this.clock.now(), ip });
    this.logger.log(`${person.username || person.oid} signed in as ${role}.`);
    return { outcome: 'signed-in', sessionId: id, principal };
  }

  private open(sealed: string | undefined): PendingSignIn | null {
    if (!sealed) return null;
    try {
      const pending = this.box.openJson(sealed, CONTEXT) as PendingSignIn;
      return pending.expiresAt > this.clock.now().getTime() ? pending : null;
    } catch {
      return null;
    }
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** MSAL's error text without its trace and correlation ids. */
function messageOf(error: unknown): string {
  const e = error as { errorMessage?: string; message?: string };
  const text = e.errorMessage || e.message || String(error);
  return text.replace(/\s*Trace ID:[\s\S]*$/, '').slice(0, 300);
}
