import { HostAllowList, type AppRegistration } from '@audience-sync/dataverse-client';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { AppError } from '@platform/errors/app-error';
import { SecretBox } from '@platform/secrets/secret-box';
import { SecretKeyError } from '@platform/secrets/secret-errors';
import { SettingsService } from '@platform/settings/settings.service';
import type { AppRegistrationDto, AppRegistrationView } from './app-registration.dto';

const KEY = 'app-registration';
/** Binds the sealed secret to this setting (a ciphertext copied elsewhere does not open). */
const CONTEXT = 'setting:app-registration';

/** As stored in `app_setting`: the secret sealed. */
interface Stored {
  clientId: string;
  tenantId?: string;
  authorityHost?: string;
  sealedSecret?: string;
}

/**
 * The installation's one Entra ID app registration, reused by every destination and Dataverse
 * source that sets no ids of its own. The client secret is sealed with the SecretBox and leaves
 * this class only towards a connection (`current()`), never through `view()`.
 */
@Injectable()
export class AppRegistrationService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AppRegistration');
  private readonly allowList: HostAllowList;

  constructor(
    private readonly settings: SettingsService,
    private readonly box: SecretBox,
    config: AppConfig,
  ) {
    this.allowList = new HostAllowList(config.ALLOWED_HOSTS);
  }

  /** The stored secret must open with the current key ring; an older key's is sealed again. */
  async onApplicationBootstrap(): Promise<void> {
    const stored = await this.settings.get<Stored>(KEY);
    if (!stored?.sealedSecret) return;
    let secret: string;
    try {
      secret = this.box.open(stored.sealedSecret, CONTEXT);
    } catch (error) {
      if (!(error instanceof SecretKeyError)) throw error;
      throw new SecretKeyError(
        `The client secret of the app registration (Settings) cannot be decrypted: ${error.message}`,
      );
    }
    if (this.box.isStale(stored.sealedSecret)) {
      await this.settings.set(KEY, { ...stored, sealedSecret: this.box.seal(secret, CONTEXT) });
      this.logger.log('Encrypted the app registration’s client secret again with the current key.');
    }
  }

  async view(): Promise<AppRegistrationView> {
    const stored = await this.settings.get<Stored>(KEY);
    return {
      configured: !!stored,
      clientId: stored?.clientId ?? null,
      tenantId: stored?.tenantId ?? null,
      authorityHost: stored?.authorityHost ?? null,
      clientSecretSet: !!stored?.sealedSecret,
    };
  }

  /** The registration with its secret, for connections; null when none is set. */
  async current(): Promise<AppRegistration | null> {
    const stored = await this.settings.get<Stored>(KEY);
    if (!stored) return null;
    return {
      clientId: stored.clientId,
      ...(stored.tenantId ? { tenantId: stored.tenantId } : {}),
      ...(stored.authorityHost ? { authorityHost: stored.authorityHost } : {}),
      ...(stored.sealedSecret ? { clientSecret: this.box.open(stored.sealedSecret, CONTEXT) } : {}),
    };
  }

  async set(dto: AppRegistrationDto): Promise<AppRegistrationView> {
    const authorityHost = dto.authorityHost ? this.checkHost(dto.authorityHost) : undefined;
    const clientId = dto.clientId.toLowerCase();
    const before = await this.settings.get<Stored>(KEY);
    // A stored secret goes only with the app and host it was entered for.
    const sameApp =
      before?.clientId === clientId && (before.authorityHost ?? '') === (authorityHost ?? '');
    let sealedSecret: string | undefined;
    if (typeof dto.clientSecret === 'string')
      sealedSecret = this.box.seal(dto.clientSecret, CONTEXT);
    else if (dto.clientSecret === undefined && sameApp) sealedSecret = before.sealedSecret;
    const stored: Stored = {
      clientId,
      ...(dto.tenantId ? { tenantId: dto.tenantId } : {}),
      ...(authorityHost ? { authorityHost } : {}),
      ...(sealedSecret ? { sealedSecret } : {}),
    };
    await this.settings.set(KEY, stored);
    return this.view();
  }

  async clear(): Promise<void> {
    await this.settings.remove(KEY);
  }

  private checkHost(value: string): string {
    const trimmed = value.trim().replace(/\/+$/, '');
    const problem = this.allowList.problem(trimmed, 'authority', 'Sign-in host');
    if (problem !== null) throw AppError.validation('authorityHost', problem);
    const url = new URL(trimmed);
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
      throw AppError.validation(
        'authorityHost',
        'Sign-in host must be https://host[:port] without a path (the tenant goes in Tenant id)',
      );
    }
    return url.origin;
  }
}
