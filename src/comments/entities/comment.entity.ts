import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Post } from '../../posts/entities/post.entity';
import { User } from '../../users/entities/user.entity';

/**
 * A comment on a post, or a reply to one (one level: a reply's parent is a top-level
 * comment). posts.comment_count and reply_count are kept by triggers (Comments migration).
 */
@Entity('comments')
// A post's top-level comments and a comment's replies, oldest first.
@Index('IDX_comments_post', ['postId', 'createdAt', 'id'])
@Index('IDX_comments_parent', ['parentId', 'createdAt', 'id'])
export class Comment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: Post;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id' })
  author?: User;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Comment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Comment;

  @Column({ type: 'varchar', length: 2200 })
  content: string;

  @Column({ name: 'reply_count', type: 'integer', default: 0 })
  replyCount: number;

  /** Hidden by a moderator: only its author and superusers still see it. */
  @Column({ type: 'boolean', default: false })
  hidden: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt: Date | null;
}
