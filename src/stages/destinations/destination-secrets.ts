import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { SecretBox } from '@platform/secrets/secret-box';
import { SecretKeyError } from '@platform/secrets/secret-errors';
import type { SecretValues } from './config-secrets';

/** What is needed to open a destination's secrets (its id binds the ciphertext to it). */
interface Sealed {
  id: string;
  displayName: string;
  secrets: string | null;
}

/**
 * A destination's secret values, sealed in one envelope bound to the destination's id (a
 * ciphertext copied to another destination does not open). Values never leave this class
 * except towards the plugin.
 */
@Injectable()
export class DestinationSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(destinationId: string, values: SecretValues): string | null {
    return Object.keys(values).length === 0
      ? null
      : this.box.sealJson(values, context(destinationId));
  }

  /** Throws AppError (INTERNAL) naming the destination when they cannot be opened. */
  open(destination: Sealed): SecretValues {
    try {
      return this.openOrThrow(destination);
    } catch (error) {
      if (!(error instanceof SecretKeyError)) throw error;
      throw new AppError(ErrorCode.INTERNAL, describe(destination, error));
    }
  }

  /** Throws {@link SecretKeyError} when they cannot be opened. */
  openOrThrow(destination: Sealed): SecretValues {
    return destination.secrets
      ? (this.box.openJson(destination.secrets, context(destination.id)) as SecretValues)
      : {};
  }

  /** Whether the envelope was sealed with an older key (seal it again with the current one). */
  isStale(destination: Sealed): boolean {
    return !!destination.secrets && this.box.isStale(destination.secrets);
  }
}

function context(id: string): string {
  return `destination:${id}`;
}

export function describe(destination: Sealed, error: Error): string {
  return `The secrets of destination "${destination.displayName}" (${destination.id}) cannot be decrypted: ${error.message}`;
}
