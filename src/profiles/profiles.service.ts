import { Injectable } from '@nestjs/common';
import { can } from '../access/access';
import { visible } from '../access/visibility';
import { BlocksService } from '../blocks/blocks.service';
import { notFound } from '../common/errors/app.exception';
import { FollowsService } from '../follows/follows.service';
import { MediaLinks } from '../media/media-links';
import { PostsService } from '../posts/posts.service';
import type { PublicUserResponse, UserResponse } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { type ProfileFigures, toPublicUser, toUserResponse } from '../users/users.mapper';

/**
 * Profiles as others see them: the account, its figures (posts, followers, following) and,
 * seen by someone else, how the two are connected.
 */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly posts: PostsService,
    private readonly follows: FollowsService,
    private readonly blocks: BlocksService,
    private readonly links: MediaLinks,
  ) {}

  /** The full record of an account, for its owner or a superuser. */
  async account(user: User): Promise<UserResponse> {
    return toUserResponse(user, this.links.current(), await this.figures(user));
  }

  /**
   * `user`'s profile as `viewer` sees it: the full record for superusers, the public one for
   * others; 404 across a block, as if there were no such user.
   */
  async profile(viewer: User, user: User): Promise<PublicUserResponse | UserResponse> {
    if (!visible.profile(viewer, { apart: await this.blocks.apart(viewer.id, user.id) }))
      throw notFound('USER_NOT_FOUND', 'User not found');
    const figures = await this.figures(user, viewer);
    return can(viewer, 'user.admin', {})
      ? toUserResponse(user, this.links.current(), figures)
      : toPublicUser(user, this.links.current(), figures);
  }

  private async figures(user: User, viewer: User = user): Promise<ProfileFigures> {
    const [postCount, follows] = await Promise.all([
      this.posts.countByAuthor(user.id),
      this.follows.figures(user.id, viewer.id),
    ]);
    const { followerCount, followingCount, isFollowing, followsYou } = follows;
    return viewer.id === user.id
      ? { postCount, followerCount, followingCount }
      : { postCount, followerCount, followingCount, isFollowing, followsYou };
  }
}
