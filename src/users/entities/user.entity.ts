import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('users')
// Usernames are unique regardless of case; the expression index lives in the migration.
@Index('UQ_users_username_lower', { synchronize: false })
// Trigram search on usernames, where the server has pg_trgm (Search migration).
@Index('IDX_users_username_trgm', { synchronize: false })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased; unique. */
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 32 })
  username: string;

  @Column({ name: 'hashed_password', type: 'varchar', length: 255 })
  hashedPassword: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  bio: string | null;

  /** Where the avatar file is stored (MediaService): its link is built per response. */
  @Column({ name: 'avatar_storage', type: 'varchar', length: 16, nullable: true })
  avatarStorage: string | null;

  @Column({ name: 'avatar_path', type: 'varchar', length: 1024, nullable: true })
  avatarPath: string | null;

  @Column({ name: 'avatar_file_id', type: 'varchar', length: 1024, nullable: true })
  avatarFileId: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'is_verified', type: 'boolean', default: false })
  isVerified: boolean;

  @Column({ name: 'is_superuser', type: 'boolean', default: false })
  isSuperuser: boolean;

  /**
   * Bumped on password change, reset and ban. Access tokens carry the version they were
   * issued under, so bumping it revokes every token issued before.
   */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
