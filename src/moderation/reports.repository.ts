import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { cursorTimestampSql, keysetCondition, keysetPage } from '../common/pagination/cursor';
import { rawQuery } from '../database/raw-query';
import { type ModerationAction, Report, type ReportTarget } from './entities/report.entity';

/** The reports table. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get reports() {
    return this.dataSource.getRepository(Report);
  }

  /** Stores an open report; a second open one on the same target fails (UQ_reports_open). */
  insert(
    report: Pick<Report, 'reporterId' | 'targetType' | 'targetId' | 'reason'>,
  ): Promise<Report> {
    return this.reports.save(this.reports.create(report));
  }

  findById(id: string): Promise<Report | null> {
    return this.reports.findOneBy({ id });
  }

  /** Reports of one status, newest first, keyset on (created_at, id). */
  async page(
    status: 'open' | 'resolved',
    options: { limit?: number; cursor?: string },
  ): Promise<{ rows: Report[]; nextCursor: string | null }> {
    const limit = options.limit ?? 20;
    const keyset = keysetCondition('r', options.cursor, 3);
    const rows = await rawQuery<{ id: string; cursor_at: string }>(
      this.dataSource,
      `SELECT r.id, ${cursorTimestampSql('r')} AS cursor_at FROM reports r
       WHERE r.status = $1 AND ${keyset.sql}
       ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [status, limit + 1, ...keyset.params],
    );
    const page = keysetPage(rows, limit);
    const found = await this.reports.findBy({ id: In(page.rows.map((r) => r.id)) });
    const byId = new Map(found.map((r) => [r.id, r]));
    return {
      rows: page.rows.flatMap((r) => byId.get(r.id) ?? []),
      nextCursor: page.nextCursor,
    };
  }

  /** Resolves every open report on the target, recording who did what and when. */
  async resolveTarget(
    target: { type: ReportTarget; id: string },
    resolution: { action: ModerationAction; moderatorId: string },
  ): Promise<void> {
    await this.reports.update(
      { targetType: target.type, targetId: target.id, status: 'open' },
      {
        status: 'resolved',
        action: resolution.action,
        resolvedBy: resolution.moderatorId,
        resolvedAt: new Date(),
      },
    );
  }
}
