import { Module } from '@nestjs/common';
import { BlocksModule } from '../blocks/blocks.module';
import { FollowsModule } from '../follows/follows.module';
import { PostsModule } from '../posts/posts.module';
import { UsersModule } from '../users/users.module';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';

/** People as the API shows them (/users/*, /profiles/*): the account with its figures. */
@Module({
  imports: [UsersModule, PostsModule, FollowsModule, BlocksModule],
  controllers: [ProfilesController],
  providers: [ProfilesService],
})
export class ProfilesModule {}
