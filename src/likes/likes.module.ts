import { Module } from '@nestjs/common';
import { PostsDataModule } from '../posts/posts-data.module';
import { LikesController } from './likes.controller';
import { LikesDataModule } from './likes-data.module';
import { LikesService } from './likes.service';

@Module({
  imports: [LikesDataModule, PostsDataModule],
  controllers: [LikesController],
  providers: [LikesService],
})
export class LikesModule {}
