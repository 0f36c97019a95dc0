import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { SecretKeyError, TamperedSecretError, UnknownSecretKeyError } from './secret-errors';

/** A 256-bit key and its public id (derived from the key; safe to show and store). */
export interface SecretKey {
  id: string;
  key: Buffer;
}

const VERSION = 'v1';
const PREFIX = `enc:${VERSION}:`;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The id of a key: the first 6 bytes of HMAC-SHA256(key, "audience-sync key id"), in hex. */
export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('audience-sync key id').digest('hex').slice(0, 12);
}

export function secretKey(key: Buffer): SecretKey {
  if (key.length !== 32)
    throw new SecretKeyError(`a secret key must be 32 bytes (got ${key.length})`);
  return { id: keyId(key), key };
}

/**
 * Encrypts small secrets at rest with AES-256-GCM (node:crypto; no library needed for one
 * cipher call). The envelope is versioned text:
 *
 *     enc:v1:<key id>:<iv>:<ciphertext>:<tag>      (base64url parts)
 *
 * The key id says which key sealed it, so keys can rotate: `open` accepts any key of the ring,
 * `seal` always uses the current one. A context string (e.g. `destination:<id>`) is bound as
 * additional authenticated data together with the version and key id, so a ciphertext copied
 * to another object does not open.
 */
export class SecretBox {
  private readonly ring: Map<string, Buffer>;

  /** `current` seals; `older` keys only open envelopes sealed before a rotation. */
  constructor(
    readonly current: SecretKey,
    older: SecretKey[] = [],
  ) {
    this.ring = new Map([...older, current].map((k) => [k.id, k.key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(aad(this.current.id, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return `${PREFIX}${this.current.id}:${parts.join(':')}`;
  }

  /** Throws {@link SecretKeyError} (unknown key, tampered or malformed envelope). */
  open(envelope: string, context: string): string {
    const { id, iv, ciphertext, tag } = parse(envelope);
    const key = this.ring.get(id);
    if (!key) throw new UnknownSecretKeyError(id, this.current.id);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad(id, context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new TamperedSecretError();
    }
  }

  /** Whether the envelope was sealed with an older key (worth sealing again with the current). */
  isStale(envelope: string): boolean {
    return parse(envelope).id !== this.current.id;
  }

  /** Seals a JSON value (a map of secret values). */
  sealJson(value: unknown, context: string): string {
    return this.seal(JSON.stringify(value), context);
  }

  openJson(envelope: string, context: string): unknown {
    return JSON.parse(this.open(envelope, context));
  }
}

function aad(id: string, context: string): Buffer {
  return Buffer.from(`${PREFIX}${id}:${context}`, 'utf8');
}

function parse(envelope: string): { id: string; iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  if (!envelope.startsWith(PREFIX)) {
    throw new SecretKeyError('it is not an encrypted value of a known version');
  }
  const parts = envelope.slice(PREFIX.length).split(':');
  if (parts.length !== 4) throw new SecretKeyError('its encrypted envelope is malformed');
  const [id, ...rest] = parts;
  const [iv, ciphertext, tag] = rest.map((p) => Buffer.from(p, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretKeyError('its encrypted envelope is malformed');
  }
  return { id, iv, ciphertext, tag };
}
