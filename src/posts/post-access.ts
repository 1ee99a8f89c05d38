import { forbidden } from '../common/errors/app.exception';
import type { User } from '../users/entities/user.entity';
import type { Post } from './entities/post.entity';

export type PostAction = 'edit' | 'delete';

/** The one place that decides who may change a post: its author; superusers may also delete. */
export function assertCanModify(post: Post, user: User, action: PostAction): void {
  if (post.userId === user.id) return;
  if (action === 'delete' && user.isSuperuser) return;
  throw forbidden('NOT_POST_OWNER', 'Only the author can change this post');
}
