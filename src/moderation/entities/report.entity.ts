import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../../users/entities/user.entity';

export type ReportTarget = 'post' | 'comment' | 'user' | 'message';
export type ModerationAction = 'dismiss' | 'hide' | 'delete' | 'ban';

/**
 * A user's report of something, and how a superuser resolved it: the record of every
 * moderation action (who, when, what). One open report per reporter and target.
 */
@Entity('reports')
@Index('IDX_reports_status', ['status', 'createdAt', 'id'])
@Index('UQ_reports_open', ['reporterId', 'targetType', 'targetId'], {
  unique: true,
  where: `status = 'open'`,
})
export class Report {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'reporter_id', type: 'uuid' })
  reporterId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id' })
  reporter?: User;

  @Column({ name: 'target_type', type: 'varchar', length: 16 })
  targetType: ReportTarget;

  /** No foreign key: the target may be deleted (by this very report's resolution). */
  @Column({ name: 'target_id', type: 'uuid' })
  targetId: string;

  @Column({ type: 'varchar', length: 1000 })
  reason: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: 'open' | 'resolved';

  @Column({ type: 'varchar', length: 16, nullable: true })
  action: ModerationAction | null;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'resolved_by' })
  resolver?: User;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
