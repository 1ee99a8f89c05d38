import { ApiProperty } from '@nestjs/swagger';

export class ChatUser {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) avatar_url: string | null;
}

export class RoomResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty() is_private: boolean;
  @ApiProperty({ format: 'uuid' }) owner_id: string;
  @ApiProperty() member_count: number;
  @ApiProperty() online_count: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty() last_seq: number;
}

export class RoomPage {
  @ApiProperty({ type: [RoomResponse] }) items: RoomResponse[];
  @ApiProperty({ type: String, nullable: true }) next_cursor: string | null;
}

export class MemberResponse extends ChatUser {
  @ApiProperty({ format: 'date-time' }) joined_at: string;
  @ApiProperty() is_owner: boolean;
  @ApiProperty() online: boolean;
}

export class MessageResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) room_id: string;
  @ApiProperty() seq: number;
  @ApiProperty({ type: ChatUser }) user: ChatUser;
  @ApiProperty() content: string;
  @ApiProperty({
    type: Object,
    nullable: true,
    description: '{id, file_name, mime_type, size, url}',
  })
  file: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) client_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) edited_at: string | null;
}
