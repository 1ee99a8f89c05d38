import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { FollowsController } from './follows.controller';
import { FollowsDataModule } from './follows-data.module';
import { FollowsService } from './follows.service';

@Module({
  imports: [UsersModule, FollowsDataModule],
  controllers: [FollowsController],
  providers: [FollowsService],
})
export class FollowsModule {}
