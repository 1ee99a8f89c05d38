import { Injectable } from '@nestjs/common';
import { visible } from '../access/visibility';
import { badRequest, notFound } from '../common/errors/app.exception';
import type { UserCardPage } from '../users/dto/user.response';
import { toUserCardPage } from '../users/users.mapper';
import type { User } from '../users/entities/user.entity';
import { MediaLinks } from '../media/media-links';
import { FollowsRepository } from './follows.repository';
import { BlocksService } from '../blocks/blocks.service';
import { UsersService } from '../users/users.service';
import { NotificationsService } from '../notifications/notifications.service';

/** Following and unfollowing, and who follows whom. */
@Injectable()
export class FollowsService {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly links: MediaLinks,
    private readonly users: UsersService,
    private readonly blocks: BlocksService,
    private readonly notifications: NotificationsService,
  ) {}

  /** A profile's figures: followers and following, and how `viewerId` and `userId` relate. */
  figures(userId: string, viewerId: string) {
    return this.follows.figures(userId, viewerId);
  }

  /** The user's lists are visible: an active user, no block either way (404 otherwise). */
  async visibleUser(viewer: User, userId: string): Promise<void> {
    await this.users.getActive(userId);
    if (!visible.person(viewer, { apart: await this.blocks.apart(viewer.id, userId) }))
      throw notFound('USER_NOT_FOUND', 'User not found');
  }

  async follow(user: User, targetId: string): Promise<void> {
    if (targetId === user.id) throw badRequest('CANNOT_FOLLOW_SELF', 'You cannot follow yourself');
    const { found, created } = await this.follows.follow(user.id, targetId);
    if (!found) throw notFound('USER_NOT_FOUND', 'User not found');
    if (created) await this.notifications.notify('follow', user.id, [targetId]);
  }

  unfollow(user: User, targetId: string): Promise<void> {
    return this.follows.unfollow(user.id, targetId);
  }

  async page(
    userId: string,
    direction: 'followers' | 'following',
    query: { limit?: number; cursor?: string },
  ): Promise<UserCardPage> {
    const page = await this.follows.page(userId, direction, query);
    return toUserCardPage(page, this.links.current());
  }
}
