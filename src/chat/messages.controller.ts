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
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth } from '../auth/decorators/auth.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import type { User } from '../users/entities/user.entity';
import { EditMessageDto, HistoryQuery, SendMessageDto } from './dto/chat.dto';
import { MessageHistory, MessageResponse } from './dto/chat.response';
import { MessagesService } from './messages.service';

@ApiTags('chat')
@Controller('api/rooms/:id/messages')
@Auth()
@ApiResponse({
  status: 404,
  description: 'ROOM_NOT_FOUND, MESSAGE_NOT_FOUND or FILE_NOT_FOUND',
  type: ErrorResponse,
})
@ApiResponse({
  status: 403,
  description: 'Not a member of the room, or not the author',
  type: ErrorResponse,
})
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @ApiOperation({
    summary:
      'History (newest first, before_seq) or catch-up after a reconnect (oldest first, after_seq); members only',
  })
  @ApiOkResponse({ type: MessageHistory })
  history(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Query() query: HistoryQuery,
  ): Promise<MessageHistory> {
    return this.messages.history(user, id, query);
  }

  @Post()
  @ApiOperation({ summary: 'Send a message; a repeated client_id returns the stored one (200)' })
  @ApiCreatedResponse({ type: MessageResponse })
  @ApiOkResponse({ type: MessageResponse, description: 'A repeated client_id: the stored message' })
  async send(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Body() dto: SendMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageResponse> {
    const { message, created } = await this.messages.send(user, id, dto);
    if (!created) reply.status(HttpStatus.OK);
    return this.messages.present(message);
  }

  @Patch(':messageId')
  @ApiOperation({ summary: 'Edit (author)' })
  @ApiOkResponse({ type: MessageResponse })
  edit(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Param('messageId') messageId: string,
    @Body() dto: EditMessageDto,
  ): Promise<MessageResponse> {
    return this.messages.edit(user, id, messageId, dto.content);
  }

  @Delete(':messageId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete (author or room owner)' })
  @ApiNoContentResponse()
  delete(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Param('messageId') messageId: string,
  ): Promise<void> {
    return this.messages.delete(user, id, messageId);
  }
}
