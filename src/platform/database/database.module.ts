import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@platform/config/app-config';
import { AsyncLock } from './async-lock';
import { dataSourceOptions } from './data-source-options';
import { Db } from './db.service';
import { serializeSqliteAccess } from './sqlite-serial';

/**
 * The store: TypeORM for configuration objects (entities registered with `forFeature`),
 * {@link Db} for set-based SQL on the hot paths. Migrations run at start-up.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    const lock = new AsyncLock();
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config),
            autoLoadEntities: true,
          }),
          dataSourceFactory: async (options) => {
            if (!options) throw new Error('no data source options');
            const dataSource = new DataSource(options);
            if (options.type !== 'postgres') serializeSqliteAccess(dataSource, lock);
            return dataSource.initialize();
          },
        }),
      ],
      providers: [
        { provide: AsyncLock, useValue: lock },
        {
          provide: Db,
          inject: [DataSource, AsyncLock],
          useFactory: (ds: DataSource, l: AsyncLock) => new Db(ds, l),
        },
      ],
      exports: [Db],
    };
  }
}
