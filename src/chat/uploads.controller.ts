import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../common/decorators/auth.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { UploadIntake } from '../media/upload-intake';
import type { User } from '../users/entities/user.entity';
import { MAX_UPLOAD_FILES } from './upload-types';
import { toUploadResponse, UploadResponse, UploadsService } from './uploads.service';
import { Public } from '../common/decorators/public.decorator';

@ApiTags('chat')
@Controller('api/uploads')
export class UploadsController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly intake: UploadIntake,
  ) {}

  @Get('types/allowed')
  @Public()
  @ApiOperation({ summary: 'Accepted categories, extensions and MIME types, max size and count' })
  allowed() {
    return this.uploads.allowedTypes();
  }

  @Post()
  @Auth()
  @ApiOperation({
    summary: `Upload 1-${MAX_UPLOAD_FILES} files (multipart "file" parts) to attach to messages`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } },
    },
  })
  @ApiResponse({
    status: 201,
    description: '[{id, file_name, mime_type, size, category, public_url, created_at}]',
  })
  @ApiResponse({
    status: 400,
    description: 'No file, empty file, or more than 10 (TOO_MANY_FILES)',
    type: ErrorResponse,
  })
  @ApiResponse({ status: 413, description: 'FILE_TOO_LARGE', type: ErrorResponse })
  @ApiResponse({
    status: 415,
    description: 'Type not accepted or content does not match',
    type: ErrorResponse,
  })
  async upload(@CurrentUser() user: User, @Req() req: FastifyRequest): Promise<UploadResponse[]> {
    return this.intake.receive(req, { maxFiles: MAX_UPLOAD_FILES }, async (form) =>
      (await this.uploads.create(user, form.files)).map(toUploadResponse),
    );
  }

  @Get(':id')
  @Auth()
  @ApiOperation({ summary: 'An upload: its owner, or members of a room where it was posted' })
  async get(@CurrentUser() user: User, @Param('id') id: string): Promise<UploadResponse> {
    return toUploadResponse(await this.uploads.getVisible(id, user));
  }

  @Delete(':id')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete my upload (messages keep their text; their file becomes null)' })
  @ApiNoContentResponse()
  async delete(@CurrentUser() user: User, @Param('id') id: string): Promise<void> {
    await this.uploads.delete(id, user);
  }
}
