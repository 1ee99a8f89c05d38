import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { PageQuery } from '../common/pagination/page.query';
import { uuidPipe } from '../common/pipes/uuid.pipe';
import { badRequest } from '../common/errors/app.exception';
import { MediaFileBody } from '../media/dto/media-file.body';
import { ApiUploadErrors, UploadIntake } from '../media/upload-intake';
import type { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import {
  MAX_CAPTION,
  TransformQuery,
  UpdatePostDto,
  UploadPostBody,
  CreatePostDto,
  FeedQuery,
} from './dto/post-requests.dto';
import { PostPage, PostResponse, UrlResponse } from './dto/post.response';
import { PostsService } from './posts.service';
import { DirectUploads } from '../media/direct-uploads';

@ApiTags('posts')
@Controller()
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly intake: UploadIntake,
    private readonly users: UsersService,
    private readonly direct: DirectUploads,
  ) {}

  @Post('upload')
  @Auth()
  @ApiOperation({ summary: 'Upload an image or video with a caption' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadPostBody })
  @ApiCreatedResponse({ type: PostResponse })
  @ApiUploadErrors()
  async upload(@CurrentUser() user: User, @Req() req: FastifyRequest): Promise<PostResponse> {
    return this.intake.receive(req, { textFields: ['caption'] }, async (form) => {
      const caption = form.fields.caption ?? '';
      if (caption.length > MAX_CAPTION) {
        throw badRequest('CAPTION_TOO_LONG', `caption must be at most ${MAX_CAPTION} characters`);
      }
      return this.posts.present(await this.posts.create(user, form.files[0], caption), user.id);
    });
  }

  @Post('posts')
  @Auth()
  @ApiOperation({
    summary: 'Post a file uploaded straight to ImageKit (GET /media/upload-auth first)',
    description:
      'The file must lie in your upload folder, be an accepted image or video within the size ' +
      'limit, and not be a post already. It is then stored like any upload (metadata removed) ' +
      'and the direct original deleted.',
  })
  @ApiCreatedResponse({ type: PostResponse })
  @ApiResponse({
    status: 404,
    description: 'UPLOAD_NOT_FOUND, DIRECT_UPLOAD_UNAVAILABLE',
    type: ErrorResponse,
  })
  @ApiResponse({ status: 409, description: 'UPLOAD_ALREADY_USED', type: ErrorResponse })
  @ApiUploadErrors()
  async createFromDirectUpload(
    @CurrentUser() user: User,
    @Body() dto: CreatePostDto,
  ): Promise<PostResponse> {
    return this.direct.take(user, dto.file_id, async (file) =>
      this.posts.present(await this.posts.create(user, file, dto.caption ?? ''), user.id),
    );
  }

  @Get(['feed', 'feeds'])
  @Auth()
  @ApiOperation({
    summary:
      'All posts (scope=all), or those of the people I follow and mine (scope=following), newest first',
  })
  @ApiOkResponse({ type: PostPage })
  async feed(@CurrentUser() user: User, @Query() query: FeedQuery): Promise<PostPage> {
    const { scope, ...page } = query;
    return this.posts.page(user.id, { ...page, following: scope === 'following' });
  }

  @Get('users/me/posts')
  @Auth()
  @ApiOperation({ summary: 'My posts, newest first' })
  @ApiOkResponse({ type: PostPage })
  async myPosts(@CurrentUser() user: User, @Query() query: PageQuery): Promise<PostPage> {
    return this.posts.page(user.id, { ...query, userId: user.id });
  }

  @Get('users/:id/posts')
  @Auth()
  @ApiOperation({ summary: "A user's posts, newest first" })
  @ApiOkResponse({ type: PostPage })
  async userPosts(
    @CurrentUser() user: User,
    @Param('id', uuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<PostPage> {
    await this.users.getById(id);
    return this.posts.page(user.id, { ...query, userId: id });
  }

  @Get('posts/:id')
  @Auth()
  @ApiOperation({ summary: 'One post' })
  @ApiOkResponse({ type: PostResponse })
  async get(@CurrentUser() user: User, @Param('id') id: string): Promise<PostResponse> {
    return this.posts.getVisible(id, user.id);
  }

  @Patch('posts/:id')
  @Auth()
  @ApiOperation({ summary: 'Edit the caption (author only)' })
  @ApiOkResponse({ type: PostResponse })
  @ApiResponse({ status: 403, description: 'NOT_POST_OWNER', type: ErrorResponse })
  async update(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Body() dto: UpdatePostDto,
  ): Promise<PostResponse> {
    return this.posts.present(await this.posts.updateCaption(id, user, dto.caption), user.id);
  }

  @Put('posts/:id/media')
  @Auth()
  @ApiOperation({ summary: 'Replace the media, keeping id and caption (author only)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: MediaFileBody })
  @ApiOkResponse({ type: PostResponse })
  @ApiResponse({ status: 403, description: 'NOT_POST_OWNER', type: ErrorResponse })
  @ApiUploadErrors()
  async replaceMedia(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Req() req: FastifyRequest,
  ): Promise<PostResponse> {
    // Ownership first: nothing is received or stored for someone else's post.
    const post = await this.posts.getForChange(id, user, 'edit');
    return this.intake.receive(req, {}, async (form) =>
      this.posts.present(await this.posts.replaceMedia(post, form.files[0]), user.id),
    );
  }

  @Delete('posts/:id')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a post and its file (author or superuser)' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 403, description: 'NOT_POST_OWNER', type: ErrorResponse })
  async delete(@CurrentUser() user: User, @Param('id') id: string): Promise<void> {
    await this.posts.delete(id, user);
  }

  @Get('posts/:id/url')
  @Auth()
  @ApiOperation({ summary: 'The media URL with an ImageKit-syntax transformation' })
  @ApiOkResponse({ type: UrlResponse })
  async url(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Query() query: TransformQuery,
  ): Promise<UrlResponse> {
    return { url: await this.posts.visibleTransformedUrl(id, user.id, query.tr) };
  }
}
