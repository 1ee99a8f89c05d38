import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import type { User } from '../users/entities/user.entity';
import {
  CreateReportDto,
  ReportPage,
  ReportResponse,
  ReportsQuery,
  ResolveReportDto,
} from './dto/report.dto';
import { ModerationService } from './moderation.service';

@ApiTags('moderation')
@Controller()
export class ModerationController {
  constructor(private readonly moderation: ModerationService) {}

  @Post('reports')
  @Auth()
  @RateLimit('report')
  @ApiOperation({ summary: 'Report a post, comment, user or chat message' })
  @ApiCreatedResponse({ type: ReportResponse })
  @ApiNotFoundResponse({ description: 'TARGET_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'REPORT_ALREADY_OPEN', type: ErrorResponse })
  report(@CurrentUser() user: User, @Body() dto: CreateReportDto): Promise<ReportResponse> {
    return this.moderation.report(user, dto);
  }

  @Get('admin/reports')
  @Auth({ superuser: true })
  @ApiOperation({ summary: 'Reports, newest first (superuser)' })
  @ApiOkResponse({ type: ReportPage })
  list(@Query() query: ReportsQuery): Promise<ReportPage> {
    return this.moderation.list(query);
  }

  @Post('admin/reports/:id/resolve')
  @Auth({ superuser: true })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Resolve a report (superuser): dismiss, hide, delete or ban; recorded on the report',
  })
  @ApiOkResponse({ type: ReportResponse })
  @ApiNotFoundResponse({ description: 'REPORT_NOT_FOUND, TARGET_NOT_FOUND', type: ErrorResponse })
  @ApiConflictResponse({ description: 'REPORT_RESOLVED', type: ErrorResponse })
  resolve(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Body() dto: ResolveReportDto,
  ): Promise<ReportResponse> {
    return this.moderation.resolve(user, id, dto.action);
  }
}
