import { Module } from '@nestjs/common';

/** Match and merge source records into customers with stable IDs; the customers API. */
@Module({})
export class UnificationModule {}
