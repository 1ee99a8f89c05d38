import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export const MAX_CAPTION = 2200;

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
  @MaxLength(500)
  tr: string;
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
