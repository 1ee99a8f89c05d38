import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseConfig, type ConfigType } from '../config/configuration';
import { EmbeddedDatabaseService } from './embedded-database.service';
import { runMigrations } from './migrator';
import { typeOrmOptions } from './typeorm.options';

@Module({
  providers: [EmbeddedDatabaseService],
  exports: [EmbeddedDatabaseService],
})
class EmbeddedDatabaseModule {}

@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [databaseConfig.KEY, EmbeddedDatabaseService],
      useFactory: async (
        config: ConfigType<typeof databaseConfig>,
        embedded: EmbeddedDatabaseService,
      ) => {
        const url = await embedded.resolveUrl();
        // Each feature registers its own entities (TypeOrmModule.forFeature).
        return { ...typeOrmOptions(url, config.poolMax), autoLoadEntities: true, retryAttempts: 3 };
      },
      // Tables come from migrations only (never synchronize), applied before the app serves.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const singleConnection = (options as { extra?: { max?: number } }).extra?.max === 1;
        const applied = await runMigrations(dataSource, { lock: !singleConnection });
        if (applied.length) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
        return dataSource;
      },
    }),
  ],
  exports: [EmbeddedDatabaseModule],
})
export class DatabaseModule {}
