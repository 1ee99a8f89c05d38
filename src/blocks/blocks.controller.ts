import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { PageQuery } from '../common/pagination/page.query';
import { uuidPipe } from '../common/pipes/uuid.pipe';
import { UserCardPage } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { BlocksService } from './blocks.service';

@ApiTags('social')
@Controller('users')
export class BlocksController {
  constructor(private readonly blocks: BlocksService) {}

  @Get('me/blocks')
  @Auth()
  @ApiOperation({ summary: 'The users I blocked, most recent first' })
  @ApiOkResponse({ type: UserCardPage })
  list(@CurrentUser() user: User, @Query() query: PageQuery): Promise<UserCardPage> {
    return this.blocks.blocked(user, query);
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
  block(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.blocks.block(user, id);
  }

  @Delete(':id/block')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Unblock a user (idempotent)' })
  @ApiNoContentResponse()
  unblock(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.blocks.unblock(user, id);
  }
}
