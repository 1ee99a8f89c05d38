import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth } from '../common/decorators/auth.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { badRequest, notFound } from '../common/errors/app.exception';
import { PageQuery } from '../common/pagination/page.query';
import { uuidPipe } from '../common/pipes/uuid.pipe';
import { MediaLinks } from '../media/media-links';
import { UserCardPage } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { toUserCardPage } from '../users/users.mapper';
import { BlocksRepository } from './blocks.repository';

@ApiTags('social')
@Controller('users')
export class BlocksController {
  constructor(
    private readonly blocks: BlocksRepository,
    private readonly links: MediaLinks,
  ) {}

  @Get('me/blocks')
  @Auth()
  @ApiOperation({ summary: 'The users I blocked, most recent first' })
  @ApiOkResponse({ type: UserCardPage })
  async list(@CurrentUser() user: User, @Query() query: PageQuery): Promise<UserCardPage> {
    const page = await this.blocks.blocked(user.id, query);
    return toUserCardPage(page, this.links.current());
  }

  @Post(':id/block')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Block a user (idempotent)',
    description:
      'Removes the follows between you both ways; each of you stops seeing the other’s posts ' +
      'and comments and can no longer follow, like, comment on, mention or add the other to a room.',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'CANNOT_BLOCK_SELF', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND', type: ErrorResponse })
  async block(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    if (id === user.id) throw badRequest('CANNOT_BLOCK_SELF', 'You cannot block yourself');
    if (!(await this.blocks.block(user.id, id))) throw notFound('USER_NOT_FOUND', 'User not found');
  }

  @Delete(':id/block')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Unblock a user (idempotent)' })
  @ApiNoContentResponse()
  unblock(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.blocks.unblock(user.id, id);
  }
}
