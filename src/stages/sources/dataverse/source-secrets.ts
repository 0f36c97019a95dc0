import { AppError, ErrorCode } from '@platform/errors/app-error';
import type { SecretBox } from '@platform/secrets/secret-box';
import { SecretKeyError } from '@platform/secrets/secret-errors';

/** Secret values of one source by option path (`auth.clientSecret`). */
export type SourceSecretValues = Record<string, string>;

/** What is needed to open a source's secrets (its id binds the ciphertext to it). */
interface Sealed {
  id: string;
  name: string;
  secrets: string | null;
}

/**
 * A source's secret options, sealed in one envelope (`source.secrets`) bound to the source's id:
 * a ciphertext copied to another source does not open. Values leave this class only towards
 * the reader that signs in with them.
 */
export class SourceSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(sourceId: string, values: SourceSecretValues): string | null {
    return Object.keys(values).length === 0 ? null : this.box.sealJson(values, context(sourceId));
  }

  /** Throws AppError (INTERNAL) naming the source when they cannot be opened. */
  open(source: Sealed): SourceSecretValues {
    if (!source.secrets) return {};
    try {
      return this.box.openJson(source.secrets, context(source.id)) as SourceSecretValues;
    } catch (error) {
      if (!(error instanceof SecretKeyError)) throw error;
      throw new AppError(
        ErrorCode.INTERNAL,
        `The secrets of source "${source.name}" (${source.id}) cannot be decrypted: ${error.message}. Set the client secret again (PUT /api/sources/${source.id}).`,
      );
    }
  }
}

function context(id: string): string {
  return `source:${id}`;
}
