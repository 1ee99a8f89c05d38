import type { AvatarColumns, Links } from '../media/media-links';
import type { PostResponse } from './dto/post.response';
import type { Post } from './entities/post.entity';

/** What a post response shows: the entity (with `user` loaded), or a row of a page query. */
export type PostView = Pick<
  Post,
  | 'id'
  | 'userId'
  | 'caption'
  | 'storage'
  | 'filePath'
  | 'fileType'
  | 'mimeType'
  | 'fileName'
  | 'size'
  | 'width'
  | 'height'
  | 'duration'
  | 'thumbnailPath'
  | 'likeCount'
  | 'commentCount'
  | 'hidden'
  | 'createdAt'
  | 'updatedAt'
> & { user?: { username: string } & AvatarColumns; likedByMe?: boolean };

/**
 * The post as clients see it, its links made with `links`; `post.user` must be loaded. The
 * author's email never appears.
 */
export function toPostResponse(post: PostView, viewerId: string, links: Links): PostResponse {
  const media = { storage: post.storage, path: post.filePath };
  return {
    id: post.id,
    user_id: post.userId,
    author: {
      id: post.userId,
      username: post.user?.username ?? '',
      avatar_url: post.user ? links.avatar(post.user) : null,
    },
    caption: post.caption,
    url: links.file(media),
    thumbnail_url: post.thumbnailPath
      ? links.file({ storage: post.storage, path: post.thumbnailPath })
      : links.thumbnail(media, post.fileType),
    file_type: post.fileType,
    mime_type: post.mimeType,
    file_name: post.fileName,
    size: post.size,
    width: post.width,
    height: post.height,
    duration: post.duration,
    like_count: post.likeCount,
    comment_count: post.commentCount,
    liked_by_me: post.likedByMe ?? false,
    hidden: post.hidden,
    created_at: post.createdAt.toISOString(),
    updated_at: post.updatedAt.toISOString(),
    is_owner: post.userId === viewerId,
  };
}
