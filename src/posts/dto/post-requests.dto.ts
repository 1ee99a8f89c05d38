import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/page.query';
import { Optional } from '../../common/validation/optional';

export const MAX_CAPTION = 2200;

/** GET /feed: a page, of all posts or of the people I follow. */
export class FeedQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['all', 'following'], default: 'all' })
  @Optional()
  @IsIn(['all', 'following'])
  scope?: 'all' | 'following';
}

export class UpdatePostDto {
  @ApiProperty({ maxLength: MAX_CAPTION })
  @IsString()
  @MaxLength(MAX_CAPTION)
  caption: string;
}

export class TransformQuery {
  @ApiProperty({
    description: 'ImageKit transformation, e.g. w-300,h-300,c-maintain_ratio',
    example: 'w-300,h-300,c-at_max',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  tr: string;
}

/** POST /posts: a post from a file the browser uploaded straight to ImageKit. */
export class CreatePostDto {
  @ApiProperty({
    description: "ImageKit's fileId of the direct upload (see GET /media/upload-auth)",
    example: '6571f1e0a7b0c2d3e4f50617',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'file_id must be an ImageKit fileId' })
  file_id: string;

  @ApiPropertyOptional({ maxLength: MAX_CAPTION })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CAPTION)
  caption?: string;
}

/** The multipart body of POST /upload, for the OpenAPI document. */
export class UploadPostBody {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'JPEG, PNG, GIF, WebP, AVIF, MP4, WebM or QuickTime',
  })
  file: unknown;

  @ApiPropertyOptional({ maxLength: MAX_CAPTION })
  caption?: string;
}
