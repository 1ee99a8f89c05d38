import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FollowsDataModule } from '../follows/follows-data.module';
import { PostsDataModule } from '../posts/posts-data.module';
import { User } from './entities/user.entity';
import { BcryptWorkers } from './bcrypt-workers';
import { PasswordService } from './password.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { ProfilesService } from './profiles.service';
import { BlocksModule } from '../blocks/blocks.module';

@Module({
  imports: [TypeOrmModule.forFeature([User]), PostsDataModule, FollowsDataModule, BlocksModule],
  controllers: [UsersController],
  providers: [UsersService, ProfilesService, PasswordService, BcryptWorkers],
  exports: [UsersService, PasswordService],
})
export class UsersModule {}
