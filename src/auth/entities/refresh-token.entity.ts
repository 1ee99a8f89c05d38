import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { User } from '../../users/entities/user.entity';

/**
 * A refresh token of a browser session: usable once; using it gives the next one of its
 * family. Using one twice (a stolen copy) revokes the whole family.
 */
@Entity('refresh_tokens')
@Index('IDX_refresh_tokens_family', ['familyId'])
export class RefreshToken {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'family_id', type: 'uuid' })
  familyId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** SHA-256 of the token's secret part: the database never holds a usable token. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** The account's token_version when issued: a password change or ban ends the session. */
  @Column({ name: 'token_version', type: 'integer' })
  tokenVersion: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** The access token issued with this refresh token: revoked when the session ends. */
  @Column({ name: 'access_jti', type: 'uuid', nullable: true })
  accessJti: string | null;

  @Column({ name: 'access_expires_at', type: 'timestamptz', nullable: true })
  accessExpiresAt: Date | null;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
