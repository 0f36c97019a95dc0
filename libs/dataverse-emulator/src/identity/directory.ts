import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { namedGuid } from '../util/ids';

/** The emulated tenant: its ids, the one app registration, and the token signing key. */
export interface Directory {
  tenantId: string;
  /** Verified domain of the tenant; also accepted in authority URLs. */
  tenantDomain: string;
  clientId: string;
  clientSecret: string;
  /** Object id of the app's service principal (the `oid` of its app-only tokens). */
  servicePrincipalId: string;
  /** Dataverse: the application user of the app registration. */
  applicationUserId: string;
  organizationId: string;
  businessUnitId: string;
  signingKey: SigningKey;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey | Uint8Array;
  publicJwk: JWK;
}

type CryptoKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface SavedIdentity {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  signingJwk: JWK;
}

const FILE = 'identity.json';

export interface DirectoryOptions {
  seed: number;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  dataDir?: string;
}

/**
 * Builds the directory from the options, the saved identity in `dataDir` (so tokens, secrets
 * and the CA survive a restart) or fresh values; saves it when `dataDir` is set.
 */
export async function loadDirectory(options: DirectoryOptions): Promise<Directory> {
  const path = options.dataDir ? join(options.dataDir, FILE) : undefined;
  const saved =
    path && existsSync(path)
      ? (JSON.parse(readFileSync(path, 'utf8')) as SavedIdentity)
      : undefined;
  const tenantId = options.tenantId ?? saved?.tenantId ?? namedGuid(options.seed, 'tenant');
  const clientId = options.clientId ?? saved?.clientId ?? namedGuid(options.seed, 'client');
  const clientSecret =
    options.clientSecret ?? saved?.clientSecret ?? `emu~${randomBytes(24).toString('base64url')}`;
  let signingJwk = saved?.signingJwk;
  if (!signingJwk) {
    const pair = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    signingJwk = await exportJWK(pair.privateKey);
  }
  if (path && options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    const identity: SavedIdentity = { tenantId, clientId, clientSecret, signingJwk };
    writeFileSync(path, JSON.stringify(identity, null, 2), { mode: 0o600 });
  }
  const { n, e, kty } = signingJwk;
  const publicJwk: JWK = { kty, n, e };
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    tenantId,
    tenantDomain: 'emulator.onmicrosoft.com',
    clientId,
    clientSecret,
    servicePrincipalId: namedGuid(options.seed, `sp:${clientId}`),
    applicationUserId: namedGuid(options.seed, `appuser:${clientId}`),
    organizationId: namedGuid(options.seed, 'organization'),
    businessUnitId: namedGuid(options.seed, 'businessunit'),
    signingKey: {
      kid,
      privateKey: await importJWK({ ...signingJwk, alg: 'RS256' }, 'RS256'),
      publicJwk: { ...publicJwk, kid, use: 'sig', alg: 'RS256' },
    },
  };
}
