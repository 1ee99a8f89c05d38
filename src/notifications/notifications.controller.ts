import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { PageQuery } from '../common/pagination/page.query';
import type { User } from '../users/entities/user.entity';
import { MarkReadDto, NotificationPage } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('social')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Auth()
  @ApiOperation({
    summary: 'My notifications, newest first, with the unread count',
    description: 'Live: ws://host/api/ws/notifications?token=JWT pushes new ones and the count.',
  })
  @ApiOkResponse({ type: NotificationPage })
  list(@CurrentUser() user: User, @Query() query: PageQuery): Promise<NotificationPage> {
    return this.notifications.page(user.id, query);
  }

  @Post('read')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Mark notifications read: `{ids: [...]}` or `{all: true}`' })
  @ApiNoContentResponse()
  async read(@CurrentUser() user: User, @Body() dto: MarkReadDto): Promise<void> {
    await this.notifications.markRead(user.id, dto.all ? 'all' : (dto.ids ?? []));
  }
}
