import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { databaseConfig, type ConfigType } from '../config/configuration';
import { EmbeddedPostgres } from './embedded-postgres';

/** Resolves the database URL: DATABASE_URL, or an embedded PostgreSQL started on demand. */
@Injectable()
export class EmbeddedDatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private embedded?: EmbeddedPostgres;

  constructor(
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The embedded server's URL (other local processes, and tests, may connect to it). */
  get url(): string | undefined {
    return this.embedded?.url;
  }

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  async resolveUrl(): Promise<string> {
    if (this.config.url) return this.config.url;
    this.embedded = new EmbeddedPostgres({
      dataDir: this.config.embeddedDir,
      maxConnections: this.config.poolMax + 20,
    });
    const url = await this.embedded.start();
    const where = this.embedded.inMemory
      ? 'in memory (data is lost on exit)'
      : this.config.embeddedDir;
    this.logger.log(
      `Embedded mode: no DATABASE_URL, using embedded PostgreSQL (PGlite), data in ${where}, ` +
        `reachable at ${url.replace(/:[^:@/]+@/, ':***@')}${this.embedded.isOwner ? '' : ' (shared with a running instance)'}`,
    );
    return url;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    // The embedded server must outlive its clients: close the pool first.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.embedded.stop();
  }
}
