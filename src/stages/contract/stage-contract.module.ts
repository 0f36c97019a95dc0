import { Module } from '@nestjs/common';
import { RefreshHooks } from './refresh-hooks';

/**
 * Provides {@link RefreshHooks}, where a stage plugs its work into the refresh (the export stage
 * of destinations), so that stages depend on this contract and never on the refresh itself.
 */
@Module({
  providers: [RefreshHooks],
  exports: [RefreshHooks],
})
export class StageContractModule {}
