import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { MediaFileBody } from '../media/dto/media-file.body';
import { ApiUploadErrors, UploadIntake } from '../media/upload-intake';
import type { User } from '../users/entities/user.entity';
import { AllowedUploadTypes, UploadCategoryTypes } from './dto/chat.response';
import { MAX_UPLOAD_FILES } from './upload-types';
import { toUploadResponse, UploadResponse, UploadsService } from './uploads.service';
import { Public } from '../auth/decorators/public.decorator';
import { MediaLinks } from '../media/media-links';

// Chat files are checked against a list of types, not decoded as images.
const ChatUploadErrors = (badRequest: string) =>
  ApiUploadErrors({ badRequest, unsupported: 'Type not accepted or content does not match' });

@ApiTags('chat')
@Controller('api/uploads')
export class UploadsController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly intake: UploadIntake,
    private readonly links: MediaLinks,
  ) {}

  @Get('types/allowed')
  @Public()
  @ApiOperation({ summary: 'Accepted categories, extensions and MIME types, max size and count' })
  @ApiExtraModels(UploadCategoryTypes)
  @ApiOkResponse({ type: AllowedUploadTypes })
  allowed(): AllowedUploadTypes {
    return this.uploads.allowedTypes();
  }

  @Post()
  @Auth()
  @ApiOperation({
    summary: 'Upload one file (a multipart "file" part) to attach to messages',
    description: `POST /api/uploads/multiple takes up to ${MAX_UPLOAD_FILES} files at once.`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: MediaFileBody })
  @ApiCreatedResponse({ type: UploadResponse })
  @ChatUploadErrors('No file, an empty file, or more than one (TOO_MANY_FILES)')
  async upload(@CurrentUser() user: User, @Req() req: FastifyRequest): Promise<UploadResponse> {
    return this.intake.receive(req, {}, async (form) =>
      toUploadResponse((await this.uploads.create(user, form.files))[0], this.links.current()),
    );
  }

  @Post('multiple')
  @Auth()
  @ApiOperation({
    summary: `Upload 1-${MAX_UPLOAD_FILES} files (multipart "file" parts) to attach to messages`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          minItems: 1,
          maxItems: MAX_UPLOAD_FILES,
        },
      },
    },
  })
  @ApiCreatedResponse({ type: [UploadResponse] })
  @ChatUploadErrors(`No file, an empty file, or more than ${MAX_UPLOAD_FILES} (TOO_MANY_FILES)`)
  async uploadMany(
    @CurrentUser() user: User,
    @Req() req: FastifyRequest,
  ): Promise<UploadResponse[]> {
    return this.intake.receive(req, { maxFiles: MAX_UPLOAD_FILES }, async (form) =>
      (await this.uploads.create(user, form.files)).map((u) =>
        toUploadResponse(u, this.links.current()),
      ),
    );
  }

  @Get(':id')
  @Auth()
  @ApiOperation({ summary: 'An upload: its owner, or members of a room where it was posted' })
  @ApiOkResponse({ type: UploadResponse })
  @ApiNotFoundResponse({ description: 'FILE_NOT_FOUND', type: ErrorResponse })
  async get(@CurrentUser() user: User, @Param('id') id: string): Promise<UploadResponse> {
    return toUploadResponse(await this.uploads.getVisible(id, user), this.links.current());
  }

  @Delete(':id')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete my upload (messages keep their text; their file becomes null)' })
  @ApiNotFoundResponse({ description: 'FILE_NOT_FOUND', type: ErrorResponse })
  @ApiNoContentResponse()
  async delete(@CurrentUser() user: User, @Param('id') id: string): Promise<void> {
    await this.uploads.delete(id, user);
  }
}
