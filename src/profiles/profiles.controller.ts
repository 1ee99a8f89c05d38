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
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { uuidPipe } from '../common/pipes/uuid.pipe';
import { AdminUpdateUserDto } from '../users/dto/admin-update-user.dto';
import { UpdateMeDto } from '../users/dto/update-me.dto';
import { PublicUserResponse, UserResponse } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { ProfilesService } from './profiles.service';
import { UsersService } from '../users/users.service';
import { ApiUploadErrors, UploadIntake } from '../media/upload-intake';
import { MediaFileBody } from '../media/dto/media-file.body';

/** A superuser also sees the account fields: every answer is at least the public profile. */
const PROFILE_SCHEMA = {
  anyOf: [{ $ref: getSchemaPath(PublicUserResponse) }, { $ref: getSchemaPath(UserResponse) }],
};

@ApiTags('users')
@Controller()
export class ProfilesController {
  constructor(
    private readonly users: UsersService,
    private readonly profiles: ProfilesService,
    private readonly intake: UploadIntake,
  ) {}

  @Get(['users/me', 'api/users/me'])
  @Auth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() user: User): Promise<UserResponse> {
    return this.profiles.account(user);
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
    return this.profiles.account(await this.users.updateMe(user, dto));
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
    return this.profiles.account(updated);
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
    return this.profiles.profile(viewer, await this.users.getById(id));
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
    return this.profiles.profile(viewer, await this.users.getByUsername(username));
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
    return this.profiles.account(await this.users.adminUpdate(id, dto));
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
