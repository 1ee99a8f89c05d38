import { Module } from '@nestjs/common';
import { PostsDataModule } from '../posts/posts-data.module';
import { LikesController } from './likes.controller';
import { LikesDataModule } from './likes-data.module';

@Module({
  imports: [LikesDataModule, PostsDataModule],
  controllers: [LikesController],
})
export class LikesModule {}
