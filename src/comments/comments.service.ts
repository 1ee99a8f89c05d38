import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { requireAccess } from '../access/access';
import { visible } from '../access/visibility';
import { BlocksService } from '../blocks/blocks.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PostsService } from '../posts/posts.service';
import { notFound } from '../common/errors/app.exception';
import { type Links, MediaLinks } from '../media/media-links';
import type { User } from '../users/entities/user.entity';
import { type CommentRow, CommentsRepository } from './comments.repository';
import type { CommentPage, CommentResponse } from './dto/comment.dto';

const COMMENT_NOT_FOUND = () => notFound('COMMENT_NOT_FOUND', 'Comment not found');

function toResponse(row: CommentRow, viewerId: string, links: Links): CommentResponse {
  return {
    id: row.id,
    post_id: row.post_id,
    parent_id: row.parent_id,
    author: {
      id: row.author_id,
      username: row.username,
      avatar_url: links.avatar({ avatarStorage: row.avatar_storage, avatarPath: row.avatar_path }),
    },
    content: row.content,
    reply_count: row.reply_count,
    hidden: row.hidden,
    created_at: row.created_at.toISOString(),
    edited_at: row.edited_at ? row.edited_at.toISOString() : null,
    is_owner: row.author_id === viewerId,
  };
}

/** Comments on posts, with one level of replies. */
@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly links: MediaLinks,
    private readonly blocks: BlocksService,
    private readonly notifications: NotificationsService,
    private readonly posts: PostsService,
  ) {}

  async create(
    user: User,
    postId: string,
    input: { content: string; parent_id?: string },
  ): Promise<CommentResponse> {
    const row = await this.comments.insert({
      postId,
      authorId: user.id,
      parentId: input.parent_id ?? null,
      content: input.content,
    });
    if (!row) {
      // Which of the two is missing decides the answer.
      throw input.parent_id ? COMMENT_NOT_FOUND() : notFound('POST_NOT_FOUND', 'Post not found');
    }
    const about = { postId: row.post_id, commentId: row.id };
    if (row.parent_author_id) {
      await this.notifications.notify('reply', user.id, [row.parent_author_id], about);
    }
    if (row.post_author_id !== row.parent_author_id) {
      await this.notifications.notify('comment', user.id, [row.post_author_id], about);
    }
    await this.notifications.mentions(row.content, user.id, about);
    return toResponse(row, user.id, this.links.current());
  }

  async edit(user: User, id: string, content: string): Promise<CommentResponse> {
    const comment = await this.get(id);
    requireAccess(user, 'comment.edit', { authorId: comment.author_id });
    const row = await this.comments.edit(comment.id, content);
    if (!row) throw COMMENT_NOT_FOUND();
    return toResponse(row, user.id, this.links.current());
  }

  async delete(user: User, id: string): Promise<void> {
    const comment = await this.get(id);
    requireAccess(user, 'comment.delete', {
      authorId: comment.author_id,
      postAuthorId: comment.post_author_id,
    });
    await this.comments.delete(comment.id);
  }

  async page(
    viewer: User,
    of: 'post' | 'parent',
    key: string,
    query: { limit?: number; cursor?: string },
  ): Promise<CommentPage> {
    const page = await this.comments.page(viewer.id, of, key, query);
    const links = this.links.current();
    return {
      items: page.rows.map((row) => toResponse(row, viewer.id, links)),
      next_cursor: page.nextCursor,
    };
  }

  /** A post's top-level comments (404 for a post the viewer cannot see). */
  async ofPost(
    viewer: User,
    postId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<CommentPage> {
    if (!(await this.posts.isVisible(postId, viewer.id)))
      throw notFound('POST_NOT_FOUND', 'Post not found');
    return this.page(viewer, 'post', postId, query);
  }

  /** The replies of a top-level comment (404 for an unknown comment). */
  async replies(
    viewer: User,
    id: string,
    query: { limit?: number; cursor?: string },
  ): Promise<CommentPage> {
    const comment = await this.get(id);
    if (!(await this.visibleTo(viewer, comment))) throw COMMENT_NOT_FOUND();
    return this.page(viewer, 'parent', comment.id, query);
  }

  /**
   * Whether `viewer` may see the comment, as the post's comment list decides: nothing of a
   * post the viewer may not see, nothing across a block, a hidden comment only to its author
   * and superusers.
   */
  async visibleTo(viewer: User, comment: CommentRow): Promise<boolean> {
    if (!(await this.posts.isVisible(comment.post_id, viewer.id))) return false;
    return visible.comment(viewer, {
      authorId: comment.author_id,
      hidden: comment.hidden,
      apart: await this.blocks.apart(viewer.id, comment.author_id),
    });
  }

  /** Hides or shows a comment (moderation); false when there is no such comment. */
  setHidden(id: string, hidden: boolean): Promise<boolean> {
    return this.comments.setHidden(id, hidden);
  }

  /** A comment's author and post, for moderation; null when it is gone. */
  async find(id: string): Promise<CommentRow | null> {
    return isUUID(id) ? this.comments.find(id) : null;
  }

  private async get(id: string): Promise<CommentRow> {
    const comment = isUUID(id) ? await this.comments.find(id) : null;
    if (!comment) throw COMMENT_NOT_FOUND();
    return comment;
  }
}
