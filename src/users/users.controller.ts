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
  Req,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiConsumes,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { can } from '../access/access';
import { Auth } from '../common/decorators/auth.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { uuidPipe } from '../common/pipes/uuid.pipe';
import { AdminUpdateUserDto } from './dto/admin-update-user.dto';
import { UpdateMeDto } from './dto/update-me.dto';
import { PublicUserResponse, UserResponse } from './dto/user.response';
import type { User } from './entities/user.entity';
import { type ProfileFigures, toPublicUser, toUserResponse } from './users.mapper';
import { FollowsRepository } from '../follows/follows.repository';
import { BlocksRepository } from '../blocks/blocks.repository';
import { notFound } from '../common/errors/app.exception';
import { UsersService } from './users.service';
import { ApiUploadErrors, UploadIntake } from '../media/upload-intake';
import { PostsRepository } from '../posts/posts.repository';
import { MediaFileBody } from '../media/dto/media-file.body';
import { MediaLinks } from '../media/media-links';

/** A superuser also sees the account fields: every answer is at least the public profile. */
const PROFILE_SCHEMA = {
  anyOf: [{ $ref: getSchemaPath(PublicUserResponse) }, { $ref: getSchemaPath(UserResponse) }],
};

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly posts: PostsRepository,
    private readonly intake: UploadIntake,
    private readonly links: MediaLinks,
    private readonly follows: FollowsRepository,
    private readonly blocks: BlocksRepository,
  ) {}

  /** A profile's counts; seen by another user, how the two are connected too. */
  private async figures(user: User, viewer: User = user): Promise<ProfileFigures> {
    const [postCount, follows] = await Promise.all([
      this.posts.countByAuthor(user.id),
      this.follows.figures(user.id, viewer.id),
    ]);
    const { followerCount, followingCount, isFollowing, followsYou } = follows;
    return viewer.id === user.id
      ? { postCount, followerCount, followingCount }
      : { postCount, followerCount, followingCount, isFollowing, followsYou };
  }

  @Get(['users/me', 'api/users/me'])
  @Auth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() user: User): Promise<UserResponse> {
    return toUserResponse(user, this.links.current(), await this.figures(user));
  }

  @Patch('users/me')
  @Auth()
  @ApiOperation({
    summary: 'Update my profile',
    description:
      'Changing email or password requires current_password. A new email must be verified again.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiBadRequestResponse({
    description:
      'UPDATE_USER_EMAIL_ALREADY_EXISTS, UPDATE_USER_USERNAME_ALREADY_EXISTS, UPDATE_USER_INVALID_PASSWORD or VALIDATION_ERROR',
    type: ErrorResponse,
  })
  async updateMe(@CurrentUser() user: User, @Body() dto: UpdateMeDto): Promise<UserResponse> {
    const updated = await this.users.updateMe(user, dto);
    return toUserResponse(updated, this.links.current(), await this.figures(updated));
  }

  @Post('users/me/avatar')
  @Auth()
  @ApiOperation({ summary: 'Set my avatar (an image)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: MediaFileBody })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiUploadErrors()
  async avatar(@CurrentUser() user: User, @Req() req: FastifyRequest): Promise<UserResponse> {
    const updated = await this.intake.receive(req, {}, (form) =>
      this.users.setAvatar(user, form.files[0]),
    );
    return toUserResponse(updated, this.links.current(), await this.figures(updated));
  }

  @Get('users/:id')
  @Auth()
  @ApiOperation({ summary: 'A user profile (the full record for superusers)' })
  @ApiExtraModels(PublicUserResponse, UserResponse)
  @ApiOkResponse({ schema: PROFILE_SCHEMA })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async getUser(
    @CurrentUser() viewer: User,
    @Param('id', uuidPipe) id: string,
  ): Promise<PublicUserResponse | UserResponse> {
    return this.profile(viewer, await this.users.getById(id));
  }

  @Get('profiles/:username')
  @Auth()
  @ApiOperation({
    summary: 'A user profile by username (any case; the full record for superusers)',
  })
  @ApiOkResponse({ schema: PROFILE_SCHEMA })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async getUserByUsername(
    @CurrentUser() viewer: User,
    @Param('username') username: string,
  ): Promise<PublicUserResponse | UserResponse> {
    return this.profile(viewer, await this.users.getByUsername(username));
  }

  private async profile(viewer: User, user: User): Promise<PublicUserResponse | UserResponse> {
    // A block either way hides the profile, as if there were none (superusers see all).
    if (!viewer.isSuperuser && (await this.blocks.apart(viewer.id, user.id)))
      throw notFound('USER_NOT_FOUND', 'User not found');
    const figures = await this.figures(user, viewer);
    return can(viewer, 'user.admin', {})
      ? toUserResponse(user, this.links.current(), figures)
      : toPublicUser(user, this.links.current(), figures);
  }

  @Patch('users/:id')
  @Auth({ superuser: true })
  @ApiOperation({ summary: 'Update any user (superuser); is_active=false bans' })
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async updateUser(
    @Param('id', uuidPipe) id: string,
    @Body() dto: AdminUpdateUserDto,
  ): Promise<UserResponse> {
    const user = await this.users.adminUpdate(id, dto);
    return toUserResponse(user, this.links.current(), await this.figures(user));
  }

  @Delete('users/:id')
  @Auth({ superuser: true })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a user (superuser)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponse })
  async deleteUser(@Param('id', uuidPipe) id: string): Promise<void> {
    await this.users.delete(id);
  }
}
