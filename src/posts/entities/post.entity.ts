import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../../users/entities/user.entity';
import { bigintAsNumber } from '../../database/transformers';

@Entity('posts')
// Keyset pagination walks these indexes in (created_at, id) order, newest first.
@Index('IDX_posts_feed', ['createdAt', 'id'])
@Index('IDX_posts_user_feed', ['userId', 'createdAt', 'id'])
// The following feed picks its page from this index alone (an index-only scan).
@Index('IDX_posts_feed_cover', ['createdAt', 'id', 'userId', 'hidden'])
// Full text of captions (an expression index the Search migration writes by hand).
@Index('IDX_posts_caption_fts', { synchronize: false })
export class Post {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 2200, default: '' })
  caption: string;

  /** Which MediaStorage driver holds the file ('local' or 'imagekit'). */
  @Column({ type: 'varchar', length: 16 })
  storage: string;

  @Column({ name: 'file_id', type: 'varchar', length: 1024 })
  fileId: string;

  /** The driver's path of the file: links (original, thumbnail) are built from it per response. */
  @Column({ name: 'file_path', type: 'varchar', length: 1024 })
  filePath: string;

  @Column({ name: 'file_type', type: 'varchar', length: 8 })
  fileType: 'image' | 'video';

  @Column({ name: 'mime_type', type: 'varchar', length: 100 })
  mimeType: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  size: number;

  @Column({ type: 'integer', nullable: true })
  width: number | null;

  @Column({ type: 'integer', nullable: true })
  height: number | null;

  /** Seconds, for videos ffprobe could read. */
  @Column({ type: 'double precision', nullable: true })
  duration: number | null;

  /** A video's poster frame stored beside it (local driver with ffmpeg); null otherwise. */
  @Column({ name: 'thumbnail_path', type: 'varchar', length: 1024, nullable: true })
  thumbnailPath: string | null;

  @Column({ name: 'thumbnail_file_id', type: 'varchar', length: 1024, nullable: true })
  thumbnailFileId: string | null;

  /** Kept exact by a trigger on post_likes (see the Social migration). */
  @Column({ name: 'like_count', type: 'integer', default: 0 })
  likeCount: number;

  /** Hidden by a moderator: only its author and superusers still see it. */
  @Column({ type: 'boolean', default: false })
  hidden: boolean;

  /** Kept exact by a trigger on comments (see the Comments migration). */
  @Column({ name: 'comment_count', type: 'integer', default: 0 })
  commentCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
