import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppSetting } from './app-setting.entity';

/** Small JSON values kept per instance under a stable key. */
@Injectable()
export class SettingsService {
  constructor(@InjectRepository(AppSetting) private readonly repo: Repository<AppSetting>) {}

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.repo.findOneBy({ key });
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.repo.upsert({ key, value: JSON.stringify(value) }, ['key']);
  }

  async remove(key: string): Promise<void> {
    await this.repo.delete({ key });
  }
}
