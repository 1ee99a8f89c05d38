import type { PostResponse } from './dto/post.response';
import type { Post } from './entities/post.entity';

/** What a post response shows: the entity (with `user` loaded), or a row of a page query. */
export type PostView = Pick<
  Post,
  | 'id'
  | 'userId'
  | 'caption'
  | 'url'
  | 'thumbnailUrl'
  | 'fileType'
  | 'mimeType'
  | 'fileName'
  | 'size'
  | 'width'
  | 'height'
  | 'createdAt'
  | 'updatedAt'
> & { user?: { username: string; avatarUrl: string | null } };

/** The post as clients see it; `post.user` must be loaded. The author's email never appears. */
export function toPostResponse(post: PostView, viewerId: string): PostResponse {
  return {
    id: post.id,
    user_id: post.userId,
    author: {
      id: post.userId,
      username: post.user?.username ?? '',
      avatar_url: post.user?.avatarUrl ?? null,
    },
    caption: post.caption,
    url: post.url,
    thumbnail_url: post.thumbnailUrl,
    file_type: post.fileType,
    mime_type: post.mimeType,
    file_name: post.fileName,
    size: post.size,
    width: post.width,
    height: post.height,
    created_at: post.createdAt.toISOString(),
    updated_at: post.updatedAt.toISOString(),
    is_owner: post.userId === viewerId,
  };
}
