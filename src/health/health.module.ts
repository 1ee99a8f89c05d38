import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { HealthController } from './health.controller';

@Module({
  // ChatModule owns the Redis connection (ChatBus): its state is reported, not probed again.
  imports: [ChatModule],
  controllers: [HealthController],
})
export class HealthModule {}
