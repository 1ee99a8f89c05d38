import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type DatabasePing = { status: 'up' } | { status: 'down'; message: string };

/** The readiness probe's view of the database. */
@Injectable()
export class DatabaseHealth {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One trivial query, answered within `timeoutMs` or reported down. Driver messages name
   * hosts and ports: the result only says which way it failed.
   */
  async ping(timeoutMs: number): Promise<DatabasePing> {
    if (!this.dataSource.isInitialized) return { status: 'down', message: 'Not connected' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([this.dataSource.query<unknown>('SELECT 1'), timeout]);
      if (outcome === 'timeout') {
        return { status: 'down', message: `No answer within ${timeoutMs} ms` };
      }
      return { status: 'up' };
    } catch {
      return { status: 'down', message: 'Not reachable' };
    } finally {
      clearTimeout(timer);
    }
  }
}
