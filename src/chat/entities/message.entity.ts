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
import { ChatUpload } from './chat-upload.entity';
import { Room } from './room.entity';
import { bigintAsNumber } from '../../database/transformers';

@Entity('messages')
@Index('UQ_messages_room_seq', ['roomId', 'seq'], { unique: true })
// A client_id is a retry key: one message per (room, sender, client_id).
@Index('UQ_messages_client_id', ['roomId', 'userId', 'clientId'], {
  unique: true,
  where: '"client_id" IS NOT NULL',
})
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'room_id', type: 'uuid' })
  roomId: string;

  @ManyToOne(() => Room, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id' })
  room?: Room;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  seq: number;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 4000, default: '' })
  content: string;

  @Column({ name: 'file_id', type: 'uuid', nullable: true })
  fileId: string | null;

  /** Deleting the upload keeps the message (its file becomes null). */
  @ManyToOne(() => ChatUpload, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'file_id' })
  file?: ChatUpload | null;

  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt: Date | null;
}
