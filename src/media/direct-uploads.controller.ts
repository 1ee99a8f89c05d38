import { Controller, Get } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import type { User } from '../users/entities/user.entity';
import { DirectUploads, UploadAuthResponse } from './direct-uploads';

@ApiTags('media')
@Controller('media')
export class DirectUploadsController {
  constructor(private readonly direct: DirectUploads) {}

  @Get('upload-auth')
  @Auth()
  @ApiOperation({
    summary: 'Parameters for one upload straight to ImageKit (then POST /posts with its fileId)',
    description:
      'Send the file from the browser to `upload_url` as multipart with `file`, `fileName`, ' +
      '`folder`, `publicKey`, `token`, `expire` and `signature` from this answer; the ' +
      'parameters allow one upload and expire after 10 minutes.',
  })
  @ApiOkResponse({ type: UploadAuthResponse })
  @ApiNotFoundResponse({
    description: 'DIRECT_UPLOAD_UNAVAILABLE: the local media driver is in use',
    type: ErrorResponse,
  })
  uploadAuth(@CurrentUser() user: User): UploadAuthResponse {
    return this.direct.auth(user);
  }
}
