import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A stored file whose delete failed; retried in the background until it succeeds. */
@Entity('media_deletions')
export class MediaDeletion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  storage: string;

  @Column({ name: 'file_id', type: 'varchar', length: 1024 })
  fileId: string;

  /** The file's path, when known: its CDN cache is purged with the delete (ImageKit). */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  path: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Index('IDX_media_deletions_next_attempt_at')
  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
