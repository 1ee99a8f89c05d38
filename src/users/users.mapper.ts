import type { Links } from '../media/media-links';
import type {
  PublicUserCard,
  PublicUserResponse,
  UserCardPage,
  UserResponse,
} from './dto/user.response';
import type { User } from './entities/user.entity';

/** What a profile counts, and (for another user's profile) how the two are connected. */
export interface ProfileFigures {
  postCount: number;
  followerCount: number;
  followingCount: number;
  isFollowing?: boolean;
  followsYou?: boolean;
}

/** A new account's figures. */
export const NO_FIGURES: ProfileFigures = { postCount: 0, followerCount: 0, followingCount: 0 };

export function toPublicUser(
  user: User,
  links: Links,
  figures: ProfileFigures = NO_FIGURES,
): PublicUserResponse {
  return {
    id: user.id,
    username: user.username,
    bio: user.bio,
    avatar_url: links.avatar(user),
    created_at: user.createdAt.toISOString(),
    ...counts(figures),
  };
}

export function toUserResponse(
  user: User,
  links: Links,
  figures: ProfileFigures = NO_FIGURES,
): UserResponse {
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
    ...counts(figures),
  };
}

function counts(figures: ProfileFigures) {
  return {
    post_count: figures.postCount,
    follower_count: figures.followerCount,
    following_count: figures.followingCount,
    ...(figures.isFollowing !== undefined ? { is_following: figures.isFollowing } : {}),
    ...(figures.followsYou !== undefined ? { follows_you: figures.followsYou } : {}),
  };
}

/** The columns a user card is made from (lists: followers, following, likes). */
export interface UserCardRow {
  id: string;
  username: string;
  bio: string | null;
  avatar_storage: string | null;
  avatar_path: string | null;
}

export const toUserCard = (row: UserCardRow, links: Links): PublicUserCard => ({
  id: row.id,
  username: row.username,
  bio: row.bio,
  avatar_url: links.avatar({ avatarStorage: row.avatar_storage, avatarPath: row.avatar_path }),
});

/** A page of user cards (followers, likers, blocked users) as the response shows it. */
export const toUserCardPage = (
  page: { rows: UserCardRow[]; nextCursor: string | null },
  links: Links,
): UserCardPage => ({
  items: page.rows.map((row) => toUserCard(row, links)),
  next_cursor: page.nextCursor,
});
