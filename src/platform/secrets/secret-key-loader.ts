import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { secretKey, type SecretKey } from './secret-box';
import { SecretKeyError } from './secret-errors';

export const SECRET_KEY_FILE = 'secret.key';

export interface LoadedKeys {
  current: SecretKey;
  /** Keys that only open older envelopes (the key file, once SECRET_KEY replaced it). */
  older: SecretKey[];
  /** Where the current key comes from, for messages (`SECRET_KEY` or the file path). */
  source: string;
  /** Problems worth a warning (a key file readable by others). */
  warnings: string[];
}

/** Decodes SECRET_KEY (already validated by AppConfig: base64 of 32 bytes, or 64 hex digits). */
export function decodeKey(text: string): Buffer {
  const value = text.trim();
  return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

/**
 * The keys for secrets at rest: SECRET_KEY when set, else `DATA_DIR/secret.key` (generated on
 * first use with mode 0600; created exclusively, so two processes starting together agree on
 * one key). When SECRET_KEY is set and a key file exists, the file's key stays available for
 * opening what it sealed, so moving from the file to SECRET_KEY needs no manual re-entry.
 * Throws {@link SecretKeyError} with the file and the reason when a key cannot be read.
 */
export function loadSecretKeys(config: { SECRET_KEY?: string; DATA_DIR: string }): LoadedKeys {
  const file = join(resolve(config.DATA_DIR), SECRET_KEY_FILE);
  const warnings: string[] = [];
  if (config.SECRET_KEY) {
    const older: SecretKey[] = [];
    if (exists(file)) {
      older.push(readKeyFile(file, warnings));
    }
    const current = secretKey(decodeKey(config.SECRET_KEY));
    return {
      current,
      older: older.filter((k) => k.id !== current.id),
      source: 'SECRET_KEY',
      warnings,
    };
  }
  if (!exists(file)) createKeyFile(file);
  return { current: readKeyFile(file, warnings), older: [], source: file, warnings };
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new SecretKeyError(
      `Cannot read the secret key file ${file}: ${(error as Error).message}. ` +
        'Fix its permissions, or set SECRET_KEY.',
      { cause: error },
    );
  }
}

function createKeyFile(file: string): void {
  mkdirSync(resolve(file, '..'), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SecretKeyError(
        `Cannot create the secret key file ${file}: ${(error as Error).message}. ` +
          'Make DATA_DIR writable, or set SECRET_KEY.',
        { cause: error },
      );
    }
  }
}

function readKeyFile(file: string, warnings: string[]): SecretKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SecretKeyError(
      `Cannot read the secret key file ${file}: ${(error as Error).message}. ` +
        'Fix its permissions, or set SECRET_KEY.',
      { cause: error },
    );
  }
  const value = text.trim();
  const key =
    /^[A-Za-z0-9+/]{43}=$/.test(value) || /^[0-9a-fA-F]{64}$/.test(value)
      ? decodeKey(value)
      : undefined;
  if (!key || key.length !== 32) {
    throw new SecretKeyError(
      `The secret key file ${file} does not hold a 32-byte key (base64 or hex). ` +
        'Restore the original file, or set SECRET_KEY to the key that encrypted the stored secrets.',
    );
  }
  if ((statSync(file).mode & 0o077) !== 0) {
    warnings.push(`The secret key file ${file} is readable by other users: chmod 600 it.`);
  }
  return secretKey(key);
}
