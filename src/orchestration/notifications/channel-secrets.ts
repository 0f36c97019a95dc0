import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { SecretBox } from '@platform/secrets/secret-box';
import { SecretKeyError } from '@platform/secrets/secret-errors';

/**
 * A webhook channel's signing secret, sealed with the app's secret key and bound to the
 * channel's id (a ciphertext copied to another channel does not open). The value leaves this
 * class only towards the webhook sender.
 */
@Injectable()
export class ChannelSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(channelId: string, secret: string): string {
    return this.box.seal(secret, context(channelId));
  }

  /** The secret, or null when none is stored; AppError (INTERNAL) when it cannot be opened. */
  open(channel: { id: string; name: string; secret: string | null }): string | null {
    if (!channel.secret) return null;
    try {
      return this.box.open(channel.secret, context(channel.id));
    } catch (error) {
      if (!(error instanceof SecretKeyError)) throw error;
      throw new AppError(
        ErrorCode.INTERNAL,
        `The secret of notification channel "${channel.name}" (${channel.id}) cannot be decrypted: ${error.message}`,
      );
    }
  }
}

function context(id: string): string {
  return `notification:${id}`;
}
