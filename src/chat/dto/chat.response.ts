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
  @ApiProperty({ type: 'integer' }) member_count: number;
  @ApiProperty({ type: 'integer' }) online_count: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ type: 'integer' }) last_seq: number;
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

/** The upload attached to a message. */
export class MessageFile {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'notes.pdf' }) file_name: string;
  @ApiProperty({ example: 'application/pdf' }) mime_type: string;
  @ApiProperty({ type: 'integer', description: 'Bytes' }) size: number;
  @ApiProperty({ format: 'uri' }) url: string;
}

export class MessageResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) room_id: string;
  @ApiProperty({ type: 'integer', description: 'Position in the room, from 1, without gaps' })
  seq: number;
  @ApiProperty({ type: ChatUser }) user: ChatUser;
  @ApiProperty() content: string;
  @ApiProperty({ type: MessageFile, nullable: true }) file: MessageFile | null;
  @ApiProperty({ type: String, nullable: true }) client_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) edited_at: string | null;
}

export class MessageHistory {
  @ApiProperty({ type: [MessageResponse] }) items: MessageResponse[];
  @ApiProperty({ description: 'More messages lie beyond this page' }) has_more: boolean;
}

export class UploadCategoryTypes {
  @ApiProperty({ type: [String], example: ['pdf', 'docx'] }) extensions: string[];
  @ApiProperty({ type: [String], example: ['application/pdf'] }) mime_types: string[];
}

export class AllowedUploadTypes {
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/UploadCategoryTypes' },
    description: 'By category: image, video, audio, document, archive',
  })
  categories: Record<string, UploadCategoryTypes>;
  @ApiProperty({ type: 'integer', description: 'Bytes per file' }) max_file_size: number;
  @ApiProperty({ type: 'integer', description: 'Files per POST /api/uploads/multiple' })
  max_files: number;
}
