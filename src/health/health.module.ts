import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** Redis is reported as the real-time bus (global, the owner of the connection) sees it. */
@Module({
  controllers: [HealthController],
})
export class HealthModule {}
