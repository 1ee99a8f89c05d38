import { Injectable } from '@nestjs/common';
import { badRequest, notFound } from '../common/errors/app.exception';
import { MediaLinks } from '../media/media-links';
import type { UserCardPage } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { toUserCardPage } from '../users/users.mapper';
import { BlocksRepository } from './blocks.repository';

/** Blocking and unblocking, the list of whom one blocked, and whether two people are apart. */
@Injectable()
export class BlocksService {
  constructor(
    private readonly blocks: BlocksRepository,
    private readonly links: MediaLinks,
  ) {}

  async blocked(user: User, query: { limit?: number; cursor?: string }): Promise<UserCardPage> {
    const page = await this.blocks.blocked(user.id, query);
    return toUserCardPage(page, this.links.current());
  }

  /** Idempotent; also ends the follows between the two, both ways. */
  async block(user: User, targetId: string): Promise<void> {
    if (targetId === user.id) throw badRequest('CANNOT_BLOCK_SELF', 'You cannot block yourself');
    if (!(await this.blocks.block(user.id, targetId)))
      throw notFound('USER_NOT_FOUND', 'User not found');
  }

  unblock(user: User, targetId: string): Promise<void> {
    return this.blocks.unblock(user.id, targetId);
  }

  /** Whether either of the two blocked the other (the `apart` fact of the visibility rules). */
  apart(a: string, b: string): Promise<boolean> {
    return this.blocks.apart(a, b);
  }
}
