import type { Links } from '../media/media-links';
import type { PublicUserResponse, UserResponse } from './dto/user.response';
import type { User } from './entities/user.entity';

export function toPublicUser(user: User, links: Links, postCount = 0): PublicUserResponse {
  return {
    id: user.id,
    username: user.username,
    bio: user.bio,
    avatar_url: links.avatar(user),
    created_at: user.createdAt.toISOString(),
    post_count: postCount,
  };
}

export function toUserResponse(user: User, links: Links, postCount = 0): UserResponse {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    bio: user.bio,
    avatar_url: links.avatar(user),
    is_active: user.isActive,
    is_verified: user.isVerified,
    is_superuser: user.isSuperuser,
    created_at: user.createdAt.toISOString(),
    post_count: postCount,
  };
}
