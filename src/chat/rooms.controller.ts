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
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { uuidPipe } from '../common/pipes/uuid.pipe';
import type { User } from '../users/entities/user.entity';
import { AddMemberDto, CreateRoomDto, RoomListQuery, UpdateRoomDto } from './dto/chat.dto';
import { MemberResponse, RoomPage, RoomResponse } from './dto/chat.response';
import { RoomsService } from './rooms.service';

@ApiTags('chat')
@Controller('api/rooms')
@Auth()
@ApiResponse({
  status: 404,
  description: 'ROOM_NOT_FOUND (also for private rooms you are not in)',
  type: ErrorResponse,
})
@ApiResponse({
  status: 403,
  description: 'NOT_ROOM_MEMBER, NOT_ROOM_OWNER or OWNER_CANNOT_BE_REMOVED',
  type: ErrorResponse,
})
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Get()
  @ApiOperation({
    summary: 'Public rooms (q: name search), or with member=true the rooms I belong to',
  })
  @ApiOkResponse({ type: RoomPage })
  list(@CurrentUser() user: User, @Query() query: RoomListQuery): Promise<RoomPage> {
    return this.rooms.list(user, query);
  }

  @Post()
  @ApiOperation({ summary: 'Create a room; the creator is its owner and first member' })
  @ApiCreatedResponse({ type: RoomResponse })
  create(@CurrentUser() user: User, @Body() dto: CreateRoomDto): Promise<RoomResponse> {
    return this.rooms.create(user, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A room' })
  @ApiOkResponse({ type: RoomResponse })
  async get(@CurrentUser() user: User, @Param('id') id: string): Promise<RoomResponse> {
    return this.rooms.describe((await this.rooms.getVisible(id, user)).room);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a room (owner)' })
  @ApiOkResponse({ type: RoomResponse })
  update(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Body() dto: UpdateRoomDto,
  ): Promise<RoomResponse> {
    return this.rooms.update(id, user, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a room (owner); its sockets are closed' })
  @ApiNoContentResponse()
  delete(@CurrentUser() user: User, @Param('id') id: string): Promise<void> {
    return this.rooms.delete(id, user);
  }

  @Post(':id/join')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Join a public room (idempotent); a private room you are not in is 404 ROOM_NOT_FOUND',
  })
  @ApiOkResponse({ type: RoomResponse })
  join(@CurrentUser() user: User, @Param('id') id: string): Promise<RoomResponse> {
    return this.rooms.join(id, user);
  }

  @Post(':id/leave')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Leave a room; an owner hands the room to the longest-standing member' })
  @ApiNoContentResponse()
  leave(@CurrentUser() user: User, @Param('id') id: string): Promise<void> {
    return this.rooms.leave(id, user);
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'Members with online flags' })
  @ApiOkResponse({ type: [MemberResponse] })
  members(@CurrentUser() user: User, @Param('id') id: string): Promise<MemberResponse[]> {
    return this.rooms.listMembers(id, user);
  }

  @Post(':id/members')
  @ApiOperation({ summary: 'Add a member (owner): the only way into a private room' })
  @ApiCreatedResponse({ type: [MemberResponse] })
  addMember(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Body() dto: AddMemberDto,
  ): Promise<MemberResponse[]> {
    return this.rooms.addMember(id, user, dto.user_id);
  }

  @Delete(':id/members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Remove a member (owner); their sockets in the room are closed with 4403',
  })
  @ApiNoContentResponse()
  removeMember(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Param('userId', uuidPipe) userId: string,
  ): Promise<void> {
    return this.rooms.removeMember(id, user, userId);
  }
}
