import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { InfoController } from './info.controller';

@Module({ controllers: [HealthController, InfoController] })
export class HealthModule {}
