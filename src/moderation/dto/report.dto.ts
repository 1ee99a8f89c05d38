import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import { Optional } from '../../common/validation/optional';
import { PageQuery } from '../../common/pagination/page.query';

export const TARGETS = ['post', 'comment', 'user', 'message'] as const;
export const ACTIONS = ['dismiss', 'hide', 'delete', 'ban'] as const;

export class CreateReportDto {
  @ApiProperty({ enum: TARGETS })
  @IsIn(TARGETS)
  target_type: (typeof TARGETS)[number];

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  target_id: string;

  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'Spam' })
  @IsString()
  @Length(1, 1000)
  reason: string;
}

export class ResolveReportDto {
  @ApiProperty({
    enum: ACTIONS,
    description:
      'dismiss: nothing; hide: a post or comment only its author and superusers see; delete: ' +
      'the post, comment or message; ban: the user, or the author of the post, comment or message',
  })
  @IsIn(ACTIONS)
  action: (typeof ACTIONS)[number];
}

export class ReportsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'resolved'], default: 'open' })
  @Optional()
  @IsIn(['open', 'resolved'])
  status?: 'open' | 'resolved';
}

export class ReportResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) reporter_id: string;
  @ApiProperty({ enum: TARGETS }) target_type: string;
  @ApiProperty({ format: 'uuid' }) target_id: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status: string;
  // null while the report is open (an enum that allows null must list it, OpenAPI 3.0.3).
  @ApiProperty({ type: String, nullable: true, enum: [...ACTIONS, null] }) action: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The superuser' })
  resolved_by: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) resolved_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ReportPage {
  @ApiProperty({ type: [ReportResponse] }) items: ReportResponse[];
  @ApiProperty({ type: String, nullable: true }) next_cursor: string | null;
}
