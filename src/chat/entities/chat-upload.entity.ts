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
import { bigintAsNumber } from '../../database/transformers';

/** A file uploaded for chat (POST /api/uploads), attachable to the owner's messages. */
@Entity('chat_uploads')
@Index('IDX_chat_uploads_owner', ['ownerId'])
export class ChatUpload {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column({ type: 'varchar', length: 16 })
  storage: string;

  @Column({ name: 'file_id', type: 'varchar', length: 1024 })
  fileId: string;

  /** The driver's path of the file: its link is built per response. */
  @Column({ type: 'varchar', length: 1024 })
  path: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ name: 'mime_type', type: 'varchar', length: 150 })
  mimeType: string;

  @Column({ type: 'varchar', length: 16 })
  category: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  size: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
