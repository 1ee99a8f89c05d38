import { Module } from '@nestjs/common';
import { LikesRepository } from './likes.repository';

/** The likes table's SQL, for the posts' read path (liked_by_me) and the likes feature. */
@Module({
  providers: [LikesRepository],
  exports: [LikesRepository],
})
export class LikesDataModule {}
