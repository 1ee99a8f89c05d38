import { HttpStatus, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { MessagesService } from '../chat/messages.service';
import { CommentsService } from '../comments/comments.service';
import { AppException, badRequest, notFound } from '../common/errors/app.exception';
import { uniqueViolation } from '../database/pg-errors';
import { PostsService } from '../posts/posts.service';
import type { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import type { ReportPage, ReportResponse } from './dto/report.dto';
import { type ModerationAction, type Report, type ReportTarget } from './entities/report.entity';
import { ReportsRepository } from './reports.repository';

const toResponse = (r: Report): ReportResponse => ({
  id: r.id,
  reporter_id: r.reporterId,
  target_type: r.targetType,
  target_id: r.targetId,
  reason: r.reason,
  status: r.status,
  action: r.action,
  resolved_by: r.resolvedBy,
  resolved_at: r.resolvedAt ? r.resolvedAt.toISOString() : null,
  created_at: r.createdAt.toISOString(),
});

const TARGET_NOT_FOUND = () => notFound('TARGET_NOT_FOUND', 'Nothing of that kind to report');

/**
 * Reports, and what superusers do about them. Each action goes through the feature that owns
 * the object (posts, comments, chat, users) and is recorded on the report: who, when, what.
 * Resolving a report resolves every open report on the same target.
 */
@Injectable()
export class ModerationService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
    private readonly messages: MessagesService,
    private readonly users: UsersService,
  ) {}

  async report(
    reporter: User,
    input: { target_type: ReportTarget; target_id: string; reason: string },
  ): Promise<ReportResponse> {
    // Only what the reporter can see may be reported (nothing can be probed this way).
    if (!(await this.reportable(reporter, input.target_type, input.target_id)))
      throw TARGET_NOT_FOUND();
    try {
      const saved = await this.reports.insert({
        reporterId: reporter.id,
        targetType: input.target_type,
        targetId: input.target_id,
        reason: input.reason,
      });
      return toResponse(saved);
    } catch (err) {
      if (uniqueViolation(err) === 'UQ_reports_open') {
        throw new AppException(
          HttpStatus.CONFLICT,
          'REPORT_ALREADY_OPEN',
          'You already reported this; a moderator will look at it',
        );
      }
      throw err;
    }
  }

  async list(query: {
    status?: 'open' | 'resolved';
    limit?: number;
    cursor?: string;
  }): Promise<ReportPage> {
    const page = await this.reports.page(query.status ?? 'open', query);
    return { items: page.rows.map(toResponse), next_cursor: page.nextCursor };
  }

  async resolve(moderator: User, id: string, action: ModerationAction): Promise<ReportResponse> {
    const report = isUUID(id) ? await this.reports.findById(id) : null;
    if (!report) throw notFound('REPORT_NOT_FOUND', 'Report not found');
    if (report.status === 'resolved')
      throw new AppException(HttpStatus.CONFLICT, 'REPORT_RESOLVED', 'This report is resolved');
    await this.act(moderator, report.targetType, report.targetId, action);
    await this.reports.resolveTarget(
      { type: report.targetType, id: report.targetId },
      { action, moderatorId: moderator.id },
    );
    return toResponse((await this.reports.findById(report.id)) as Report);
  }

  private async act(
    moderator: User,
    type: ReportTarget,
    targetId: string,
    action: ModerationAction,
  ): Promise<void> {
    if (action === 'dismiss') return;
    if (action === 'ban') {
      const userId = await this.authorOf(type, targetId);
      if (!userId) throw TARGET_NOT_FOUND();
      if (userId === moderator.id) throw badRequest('CANNOT_BAN_SELF', 'You cannot ban yourself');
      await this.users.adminUpdate(userId, { is_active: false });
      return;
    }
    if (action === 'hide') {
      if (type === 'post' && (await this.posts.setHidden(targetId, true))) return;
      if (type === 'comment' && (await this.comments.setHidden(targetId, true))) return;
      if (type === 'post' || type === 'comment') throw TARGET_NOT_FOUND();
      throw badRequest('UNSUPPORTED_ACTION', 'Only posts and comments can be hidden');
    }
    // delete
    if (type === 'post') return this.posts.delete(targetId, moderator);
    if (type === 'comment') return this.comments.delete(moderator, targetId);
    if (type === 'message') return this.messages.removeAsModerator(targetId);
    throw badRequest('UNSUPPORTED_ACTION', 'A user is banned, not deleted, through a report');
  }

  private async authorOf(type: ReportTarget, id: string): Promise<string | null> {
    switch (type) {
      case 'user':
        return (await this.users.findById(id))?.id ?? null;
      case 'post':
        return isUUID(id) ? ((await this.posts.get(id).catch(() => null))?.userId ?? null) : null;
      case 'comment':
        return (await this.comments.find(id))?.author_id ?? null;
      case 'message':
        return this.messages.authorOf(id);
    }
  }

  private async reportable(reporter: User, type: ReportTarget, id: string): Promise<boolean> {
    switch (type) {
      case 'user':
        return (await this.users.findById(id))?.isActive === true;
      case 'post':
        return this.posts.isVisible(id, reporter.id);
      case 'comment': {
        const comment = await this.comments.find(id);
        return comment !== null && this.comments.visibleTo(reporter, comment);
      }
      case 'message':
        return this.messages.visibleTo(id, reporter);
    }
  }
}
