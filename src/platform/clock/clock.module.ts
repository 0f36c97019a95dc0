import { Module } from '@nestjs/common';
import { Clock } from './clock';

/** The clock adapter, shared by segments (relative dates) and the refresh pipeline. */
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
