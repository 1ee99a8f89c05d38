import { ApiProperty } from '@nestjs/swagger';

export class PostAuthor {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) avatar_url: string | null;
}

export class PostResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({ type: PostAuthor }) author: PostAuthor;
  @ApiProperty({ example: 'Sunset over the river' }) caption: string;
  @ApiProperty({ format: 'uri' }) url: string;
  @ApiProperty({ type: String, nullable: true, format: 'uri' }) thumbnail_url: string | null;
  @ApiProperty({ enum: ['image', 'video'] }) file_type: 'image' | 'video';
  @ApiProperty({ example: 'image/jpeg' }) mime_type: string;
  @ApiProperty({ example: 'sunset.jpg' }) file_name: string;
  @ApiProperty({ type: 'integer', description: 'Bytes' }) size: number;
  @ApiProperty({ type: 'integer', nullable: true }) width: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) height: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Seconds (videos; null for images, or when the video could not be read)',
    example: 12.5,
  })
  duration: number | null;
  @ApiProperty({ type: 'integer', example: 3 }) like_count: number;
  @ApiProperty({ type: 'integer', example: 1 }) comment_count: number;
  @ApiProperty({ description: 'Whether the caller likes this post' }) liked_by_me: boolean;
  @ApiProperty({
    description: 'Hidden by a moderator (only its author and superusers still see it)',
  })
  hidden: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({ description: 'Whether the caller wrote this post' }) is_owner: boolean;
}

export class PostPage {
  @ApiProperty({ type: [PostResponse] }) items: PostResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null at the end',
  })
  next_cursor: string | null;
}

export class UrlResponse {
  @ApiProperty({ format: 'uri' }) url: string;
}
