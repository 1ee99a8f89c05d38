import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { SearchController } from './search.controller';
import { SearchRepository } from './search.repository';

@Module({
  imports: [PostsModule],
  controllers: [SearchController],
  providers: [SearchRepository],
})
export class SearchModule {}
