import { RefreshToken } from '../auth/entities/refresh-token.entity';
import { RevokedToken } from '../auth/entities/revoked-token.entity';
import { ChatUpload } from '../chat/entities/chat-upload.entity';
import { Message } from '../chat/entities/message.entity';
import { RoomMember } from '../chat/entities/room-member.entity';
import { Room } from '../chat/entities/room.entity';
import { DirectUploadClaim } from '../media/entities/direct-upload-claim.entity';
import { MediaDeletion } from '../media/entities/media-deletion.entity';
import { Report } from '../moderation/entities/report.entity';
import { Notification } from '../notifications/entities/notification.entity';
import { Block } from '../blocks/entities/block.entity';
import { Comment } from '../comments/entities/comment.entity';
import { Follow } from '../follows/entities/follow.entity';
import { PostLike } from '../likes/entities/post-like.entity';
import { Post } from '../posts/entities/post.entity';
import { PostTag } from '../tags/entities/post-tag.entity';
import { User } from '../users/entities/user.entity';

/** Every entity of the app, listed explicitly (no globs: the same list works in dist and in Jest). */
export const ENTITIES = [
  User,
  RevokedToken,
  Post,
  MediaDeletion,
  DirectUploadClaim,
  Room,
  RoomMember,
  Message,
  ChatUpload,
  Follow,
  PostLike,
  Comment,
  Block,
  Notification,
  PostTag,
  Report,
  RefreshToken,
];
