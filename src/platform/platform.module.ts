import { Global, Module } from '@nestjs/common';
import { Db } from '@platform/database/db.service';
import { ProcessIdentity } from '@platform/locks/process-identity';
import { RunLocks } from '@platform/locks/run-locks';

/**
 * Process-wide services every feature may use: this process's identity (one boot id per
 * process) and the run locks ("one run at a time" across processes sharing the database).
 */
@Global()
@Module({
  providers: [
    { provide: ProcessIdentity, useFactory: () => new ProcessIdentity() },
    {
      provide: RunLocks,
      inject: [Db, ProcessIdentity],
      useFactory: (db: Db, identity: ProcessIdentity) => new RunLocks(db, identity),
    },
  ],
  exports: [ProcessIdentity, RunLocks],
})
export class PlatformModule {}
