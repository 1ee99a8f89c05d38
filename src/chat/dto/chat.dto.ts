import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Optional } from '../../common/validation/optional';
import { PageQuery } from '../../common/pagination/page.query';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const MAX_MESSAGE = 4000;

export class CreateRoomDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'general' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @Optional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ default: false })
  @Optional()
  @IsBoolean()
  is_private?: boolean;
}

export class UpdateRoomDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @Optional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ maxLength: 500, nullable: true })
  @Optional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  is_private?: boolean;
}

export class RoomListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Name contains (case-insensitive)' })
  @Optional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'true: the rooms I belong to, private ones included' })
  @Optional()
  @Transform(
    ({ obj }: { obj: Record<string, unknown> }) => obj.member === 'true' || obj.member === true,
  )
  @IsBoolean()
  member?: boolean;
}

export class AddMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  user_id: string;
}

export class SendMessageDto {
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    description: "The path's room id again, as the chat seed's clients send it; any other is a 400",
  })
  @Optional()
  @IsUUID()
  room_id?: string;

  @ApiPropertyOptional({ maxLength: MAX_MESSAGE })
  @Optional()
  @IsString()
  @MaxLength(MAX_MESSAGE)
  content?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'An upload of the sender (POST /api/uploads); null or absent: no file',
  })
  // null is "no file" here, as the chat seed's clients send it.
  @IsOptional()
  @IsUUID()
  file_id?: string | null;

  @ApiPropertyOptional({
    maxLength: 64,
    description: 'Retry key: the same value returns the stored message',
  })
  @Optional()
  @IsString()
  @Matches(/^[\w.:-]{1,64}$/, {
    message: 'client_id must be 1-64 characters of letters, digits, _ . : -',
  })
  client_id?: string;
}

export class EditMessageDto {
  @ApiProperty({ maxLength: MAX_MESSAGE })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_MESSAGE)
  content: string;
}

export class HistoryQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Older than this seq, newest first',
  })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before_seq?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Newer than this seq, oldest first (catch-up)',
  })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after_seq?: number;
}
