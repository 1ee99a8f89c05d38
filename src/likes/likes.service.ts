import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors/app.exception';
import { MediaLinks } from '../media/media-links';
import { NotificationsService } from '../notifications/notifications.service';
import { PostsService } from '../posts/posts.service';
import type { UserCardPage } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { toUserCardPage } from '../users/users.mapper';
import { LikesRepository } from './likes.repository';

const POST_NOT_FOUND = () => notFound('POST_NOT_FOUND', 'Post not found');

/** Liking posts, and who liked one. */
@Injectable()
export class LikesService {
  constructor(
    private readonly likes: LikesRepository,
    private readonly posts: PostsService,
    private readonly links: MediaLinks,
    private readonly notifications: NotificationsService,
  ) {}

  /** Idempotent; the author hears of the first like only. 404 for a post the user cannot see. */
  async like(user: User, postId: string): Promise<void> {
    const { authorId, created } = await this.likes.like(user.id, postId);
    if (!authorId) throw POST_NOT_FOUND();
    if (created) await this.notifications.notify('like', user.id, [authorId], { postId });
  }

  /** Idempotent, and silent about posts that do not exist. */
  unlike(user: User, postId: string): Promise<void> {
    return this.likes.unlike(user.id, postId);
  }

  async likers(
    viewer: User,
    postId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<UserCardPage> {
    if (!(await this.posts.isVisible(postId, viewer.id))) throw POST_NOT_FOUND();
    const page = await this.likes.likers(postId, query);
    return toUserCardPage(page, this.links.current());
  }
}
