import { createHash, randomBytes } from 'node:crypto';
import { Aad } from './aad-error';
import type { UserAccount } from './token-service';

/** What the authorize endpoint granted, redeemed once at the token endpoint. */
export interface AuthorizationGrant {
  clientId: string;
  redirectUri: string;
  scope: string;
  user: UserAccount;
  nonce?: string;
  codeChallenge?: string;
}

interface Entry extends AuthorizationGrant {
  expiresMs: number;
}

/** Entra ID's authorization codes live about 10 minutes. */
const LIFETIME_MS = 10 * 60_000;
/** Codes kept at most; the oldest go first (a test rig never comes near). */
const MAX_CODES = 10_000;

/**
 * Authorization codes of the code flow: issued when a person picks a user on the sign-in page,
 * redeemed once by the same client with the same redirect URI and, when the authorization
 * request carried a PKCE challenge (S256, the only method Entra ID recommends), the verifier.
 */
export class AuthorizationCodes {
  private readonly codes = new Map<string, Entry>();

  issue(grant: AuthorizationGrant): string {
    const code = `1.emu.${randomBytes(48).toString('base64url')}`;
    this.codes.set(code, { ...grant, expiresMs: Date.now() + LIFETIME_MS });
    if (this.codes.size > MAX_CODES) {
      const oldest = this.codes.keys().next().value;
      if (oldest !== undefined) this.codes.delete(oldest);
    }
    return code;
  }

  redeem(
    code: string,
    clientId: string,
    redirectUri: string | null,
    verifier: string | null,
  ): AuthorizationGrant {
    const entry = this.codes.get(code);
    // A code is single-use whatever the outcome, as Entra ID treats a replayed code.
    this.codes.delete(code);
    if (!entry || entry.clientId !== clientId) throw Aad.badAuthorizationCode();
    if (entry.expiresMs <= Date.now()) throw Aad.authorizationCodeExpired();
    if (redirectUri === null) throw Aad.missingParameter('redirect_uri');
    if (redirectUri !== entry.redirectUri) throw Aad.redirectUriMismatch();
    if (entry.codeChallenge !== undefined) {
      if (verifier === null) throw Aad.missingParameter('code_verifier');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== entry.codeChallenge) throw Aad.pkceMismatch();
    }
    return entry;
  }
}
