import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Post } from './post.entity';

/**
 * A #hashtag of a post's caption, lower case. Written by a trigger on posts (Search
 * migration) whenever a caption is set, so tags never disagree with captions.
 */
@Entity('post_tags')
// A tag's posts, newest first (created_at is the post's, copied).
@Index('IDX_post_tags_feed', ['tag', 'createdAt', 'postId'])
export class PostTag {
  @PrimaryColumn({ name: 'post_id', type: 'uuid' })
  postId: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  tag: string;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: Post;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
