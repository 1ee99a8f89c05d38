import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsUUID, ValidateIf } from 'class-validator';
import { Optional } from '../../common/validation/optional';

export class NotificationActor {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true, format: 'uri' }) avatar_url: string | null;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['follow', 'like', 'comment', 'reply', 'mention'] }) type: string;
  @ApiProperty({ type: NotificationActor }) actor: NotificationActor;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) post_id: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) comment_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) read_at: string | null;
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationResponse] }) items: NotificationResponse[];
  @ApiProperty({ type: String, nullable: true }) next_cursor: string | null;
  @ApiProperty({ type: 'integer' }) unread_count: number;
}

/** Either `ids` or `all: true`. */
export class MarkReadDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 100 })
  @ValidateIf((o: MarkReadDto) => o.all === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ enum: [true] })
  @Optional()
  @Equals(true)
  all?: true;
}
