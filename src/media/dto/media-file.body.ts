import { ApiProperty } from '@nestjs/swagger';

/** A multipart body of one `file` part (an avatar, a post's new media). */
export class MediaFileBody {
  @ApiProperty({ type: 'string', format: 'binary' })
  file: unknown;
}
