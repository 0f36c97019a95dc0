import { randomBytes } from 'node:crypto';
import { SecretBox, secretKey } from './secret-box';
import { SecretKeyError, TamperedSecretError, UnknownSecretKeyError } from './secret-errors';

const keyA = secretKey(randomBytes(32));
const keyB = secretKey(randomBytes(32));

describe('SecretBox', () => {
  it('seals and opens a value; the envelope names the version and key id, not the value', () => {
    const box = new SecretBox(keyA);
    const envelope = box.seal('s3cret-value', 'destination:1');
    expect(envelope).toMatch(new RegExp(`^enc:v1:${keyA.id}:[\\w-]+:[\\w-]+:[\\w-]+$`));
    expect(envelope).not.toContain('s3cret');
    expect(Buffer.from(envelope.split(':')[4], 'base64url').toString()).not.toContain('s3cret');
    expect(box.open(envelope, 'destination:1')).toBe('s3cret-value');
  });

  it('uses a fresh IV each time', () => {
    const box = new SecretBox(keyA);
    expect(box.seal('x', 'c')).not.toBe(box.seal('x', 'c'));
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const box = new SecretBox(keyA);
    const envelope = box.seal('{"auth.clientSecret":"abc"}', 'destination:1');
    const parts = envelope.split(':');
    for (const index of [3, 4, 5]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 0x01;
      const altered = [...parts];
      altered[index] = bytes.toString('base64url');
      expect(() => box.open(altered.join(':'), 'destination:1')).toThrow(TamperedSecretError);
    }
  });

  it('refuses an envelope moved to another object (context is authenticated)', () => {
    const box = new SecretBox(keyA);
    const envelope = box.seal('abc', 'destination:1');
    expect(() => box.open(envelope, 'destination:2')).toThrow(TamperedSecretError);
  });

  it('says which key is missing when sealed with another key', () => {
    const envelope = new SecretBox(keyA).seal('abc', 'c');
    const other = new SecretBox(keyB);
    expect(() => other.open(envelope, 'c')).toThrow(UnknownSecretKeyError);
    try {
      other.open(envelope, 'c');
    } catch (error) {
      expect((error as Error).message).toContain(keyA.id);
      expect((error as Error).message).toContain(keyB.id);
    }
  });

  it('refuses a forged key id even when the key ring has a key of that id', () => {
    const box = new SecretBox(keyB, [keyA]);
    const envelope = new SecretBox(keyA).seal('abc', 'c');
    const forged = envelope.replace(`:${keyA.id}:`, `:${keyB.id}:`);
    expect(() => box.open(forged, 'c')).toThrow(TamperedSecretError);
  });

  it('opens envelopes of an older key after rotation and seals with the current one', () => {
    const old = new SecretBox(keyA).seal('abc', 'c');
    const rotated = new SecretBox(keyB, [keyA]);
    expect(rotated.open(old, 'c')).toBe('abc');
    expect(rotated.isStale(old)).toBe(true);
    const resealed = rotated.seal(rotated.open(old, 'c'), 'c');
    expect(rotated.isStale(resealed)).toBe(false);
    expect(resealed).toContain(`:${keyB.id}:`);
  });

  it('refuses malformed envelopes with a typed error', () => {
    const box = new SecretBox(keyA);
    for (const bad of [
      '',
      'plain',
      'enc:v2:x:y:z:w',
      `enc:v1:${keyA.id}:AA:BB`,
      'enc:v1:a:b:c:d',
    ]) {
      expect(() => box.open(bad, 'c')).toThrow(SecretKeyError);
    }
  });

  it('round-trips JSON maps of secrets', () => {
    const box = new SecretBox(keyA);
    const value = { 'auth.clientSecret': 'ünï€ode', apiKey: 'k' };
    expect(box.openJson(box.sealJson(value, 'c'), 'c')).toEqual(value);
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => secretKey(randomBytes(16))).toThrow(/32 bytes/);
  });
});
