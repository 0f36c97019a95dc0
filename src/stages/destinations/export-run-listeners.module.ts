import { Global, Module } from '@nestjs/common';
import { ExportRunListeners } from './export-run-listeners';

/**
 * {@link ExportRunListeners}, global so that the modules listening (notifications) need not
 * import DestinationsModule: importing it would push it deeper in Nest's module tree and so
 * later in the shutdown order, and running exports must stop first when the app shuts down.
 */
@Global()
@Module({ providers: [ExportRunListeners], exports: [ExportRunListeners] })
export class ExportRunListenersModule {}
