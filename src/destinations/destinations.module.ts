import { Module } from '@nestjs/common';

/** Destinations: the plugin registry, destination configuration and export runs. */
@Module({})
export class DestinationsModule {}
