import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';
import { Optional } from '../../common/validation/optional';

export const MAX_COMMENT = 2200;

export class CreateCommentDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_COMMENT, example: 'Lovely light!' })
  @IsString()
  @Length(1, MAX_COMMENT)
  content: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Reply to this comment (a reply to a reply attaches to its top-level comment)',
  })
  @Optional()
  @IsUUID()
  parent_id?: string;
}

export class EditCommentDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_COMMENT })
  @IsString()
  @Length(1, MAX_COMMENT)
  content: string;
}

export class CommentAuthor {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true, format: 'uri' }) avatar_url: string | null;
}

export class CommentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) post_id: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) parent_id: string | null;
  @ApiProperty({ type: CommentAuthor }) author: CommentAuthor;
  @ApiProperty() content: string;
  @ApiProperty({ type: 'integer' }) reply_count: number;
  @ApiProperty({ description: 'Hidden by a moderator (only its author and superusers see it)' })
  hidden: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) edited_at: string | null;
  @ApiProperty({ description: 'Whether the caller wrote this comment' }) is_owner: boolean;
}

export class CommentPage {
  @ApiProperty({ type: [CommentResponse] }) items: CommentResponse[];
  @ApiProperty({ type: String, nullable: true }) next_cursor: string | null;
}
