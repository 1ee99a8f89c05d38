import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../users/entities/user.entity';

/** A file a browser uploaded straight to ImageKit, taken into a post: each is taken once. */
@Entity('direct_upload_claims')
export class DirectUploadClaim {
  /** ImageKit's fileId of the direct upload. */
  @PrimaryColumn({ name: 'file_id', type: 'varchar', length: 64 })
  fileId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
