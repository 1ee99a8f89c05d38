import { Controller, Get, Header, HttpStatus } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DatabaseHealth } from '../database/database-health';
import { RealtimeBus } from '../realtime/realtime-bus';
import { AppException } from '../common/errors/app.exception';
import { DependencyStatus, HealthResponse, HealthUnavailableResponse } from './health.response';
import { Public } from '../auth/decorators/public.decorator';

const DATABASE_TIMEOUT_MS = 3000;

const OK_EXAMPLE: HealthResponse = {
  status: 'ok',
  info: { database: { status: 'up' }, redis: { status: 'up' } },
  error: {},
  details: { database: { status: 'up' }, redis: { status: 'up' } },
};

const REDIS_DOWN =
  'Redis unreachable: chat messages reach other instances from the database; presence and typing stay on this instance';

const DEGRADED_EXAMPLE: HealthResponse = {
  status: 'degraded',
  info: { database: { status: 'up' } },
  error: {
    redis: {
      status: 'down',
      message: REDIS_DOWN,
    },
  },
  details: {
    database: { status: 'up' },
    redis: {
      status: 'down',
      message: REDIS_DOWN,
    },
  },
};

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly bus: RealtimeBus,
  ) {}

  @Get('hello')
  @ApiOperation({ summary: 'Liveness probe kept for the seed clients' })
  @ApiOkResponse({ schema: { example: { message: 'Hello World' } } })
  hello(): { message: string } {
    return { message: 'Hello World' };
  }

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process serves requests' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('health')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Readiness: the database is reachable (Redis is reported, not required)',
    description:
      'Redis carries chat events between instances: without REDIS_URL it is "disabled"; ' +
      'when configured but unreachable the status is "degraded" (still 200) because each ' +
      'instance keeps serving its own chat rooms.',
  })
  @ApiExtraModels(DependencyStatus)
  @ApiOkResponse({
    description: 'Ready ("ok", or "degraded" while Redis is down)',
    type: HealthResponse,
    examples: {
      ok: { summary: 'Everything up', value: OK_EXAMPLE },
      degraded: { summary: 'Redis down', value: DEGRADED_EXAMPLE },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'The database is unreachable (with Retry-After)',
    type: HealthUnavailableResponse,
    example: {
      status_code: 503,
      error: 'Service Unavailable',
      detail: 'The database is unavailable',
      code: 'SERVICE_UNAVAILABLE',
      checks: { database: { status: 'down', message: 'Not reachable' }, redis: { status: 'up' } },
    },
  })
  async check(): Promise<HealthResponse> {
    const details: Record<string, DependencyStatus> = {
      database: await this.database.ping(DATABASE_TIMEOUT_MS),
      redis: this.redisStatus(),
    };
    if (details.database.status === 'down') {
      throw new AppException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'SERVICE_UNAVAILABLE',
        'The database is unavailable',
        { checks: details },
      );
    }
    const info: Record<string, DependencyStatus> = {};
    const error: Record<string, DependencyStatus> = {};
    for (const [name, result] of Object.entries(details)) {
      (result.status === 'down' ? error : info)[name] = result;
    }
    return { status: Object.keys(error).length ? 'degraded' : 'ok', info, error, details };
  }

  private redisStatus(): DependencyStatus {
    const status = this.bus.status;
    return status === 'down'
      ? {
          status,
          message: REDIS_DOWN,
        }
      : { status };
  }
}
