import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponse } from '../common/dto/error.response';

export class DependencyStatus {
  @ApiProperty({ enum: ['up', 'down', 'disabled'], example: 'up' })
  status: 'up' | 'down' | 'disabled';

  @ApiPropertyOptional({
    example:
      'Redis unreachable: chat messages reach other instances from the database; presence and typing stay on this instance',
  })
  message?: string;
}

const byName = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(DependencyStatus) },
} as const;

/** The readiness report, in the shape /health has always had (status, info, error, details). */
export class HealthResponse {
  @ApiProperty({
    enum: ['ok', 'degraded'],
    description: '"degraded": requests are served, but an optional dependency (Redis) is down',
  })
  status: 'ok' | 'degraded';

  @ApiProperty({ ...byName, description: 'The dependencies that are up (or disabled)' })
  info: Record<string, DependencyStatus>;

  @ApiProperty({ ...byName, description: 'The dependencies that are down' })
  error: Record<string, DependencyStatus>;

  @ApiProperty({ ...byName, description: 'Every dependency' })
  details: Record<string, DependencyStatus>;
}

/** 503 from /health: the usual error body, with every dependency's status. */
export class HealthUnavailableResponse extends ErrorResponse {
  @ApiProperty({ ...byName, description: 'Every dependency' })
  checks: Record<string, DependencyStatus>;
}
