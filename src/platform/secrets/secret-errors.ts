/**
 * Why a secret could not be read back. Messages name the key ids (never key material or
 * plaintext) so an operator can tell which key is missing.
 */
export class SecretKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretKeyError';
  }
}

/** The envelope was sealed with a key that is not configured. */
export class UnknownSecretKeyError extends SecretKeyError {
  constructor(
    readonly keyId: string,
    readonly currentKeyId: string,
  ) {
    super(
      `it was encrypted with key ${keyId}, but the key in use is ${currentKeyId}: ` +
        'restore the key that encrypted it (SECRET_KEY, or the key file secret.key in DATA_DIR)',
    );
    this.name = 'UnknownSecretKeyError';
  }
}

/** The envelope does not authenticate: altered, truncated, or moved to another object. */
export class TamperedSecretError extends SecretKeyError {
  constructor() {
    super('it does not authenticate: it was altered, or it belongs to another object');
    this.name = 'TamperedSecretError';
  }
}
