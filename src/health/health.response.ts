import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export class DependencyStatus {
  @ApiProperty({ enum: ['up', 'down', 'disabled'], example: 'up' })
  status: 'up' | 'down' | 'disabled';

  @ApiPropertyOptional({ example: 'Chat events reach this instance only' })
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
