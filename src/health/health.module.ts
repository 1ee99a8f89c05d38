import { Module } from '@nestjs/common';
import { DatabaseHealth } from '../database/database-health';
import { HealthController } from './health.controller';

/** Redis is reported as the real-time bus (global, the owner of the connection) sees it. */
@Module({
  controllers: [HealthController],
  providers: [DatabaseHealth],
})
export class HealthModule {}
