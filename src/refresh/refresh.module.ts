import { Module } from '@nestjs/common';

/** The refresh pipeline (ingest → unify → segments → export), its runs and its schedule. */
@Module({})
export class RefreshModule {}
