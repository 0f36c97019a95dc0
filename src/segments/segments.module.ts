import { Module } from '@nestjs/common';

/** Segments: rules compiled to SQL, materialized membership. */
@Module({})
export class SegmentsModule {}
