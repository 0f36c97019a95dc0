import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig } from '@platform/config/app-config';
import { SettingsService } from '@platform/settings/settings.service';
import { generateToken, hashToken, sameHash } from './token-hash';

const SETTING = 'auth.adminTokenHash';
export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * The admin API token: API_TOKEN when set; otherwise one generated on first start, stored
 * hashed, printed once and written to `<DATA_DIR>/admin-token` (mode 0600).
 */
@Injectable()
export class AdminTokenService implements OnModuleInit {
  private readonly logger = new Logger('Auth');
  private hash?: string;

  constructor(
    private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.API_TOKEN) {
      this.hash = hashToken(this.config.API_TOKEN);
      return;
    }
    this.hash = await this.settings.get<string>(SETTING);
    if (this.hash) return;
    const token = generateToken();
    this.hash = hashToken(token);
    await this.settings.set(SETTING, this.hash);
    const dir = resolve(this.config.DATA_DIR);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, ADMIN_TOKEN_FILE);
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    // Printed once, on the first start only: the token is not recoverable from the store.
    this.logger.log(
      `Generated the admin API token (shown only now; also saved to ${file}):\n\n    ${token}\n`,
    );
  }

  verify(token: string): boolean {
    return this.hash !== undefined && sameHash(hashToken(token), this.hash);
  }
}
