import { Global, Module } from '@nestjs/common';
import { BlocksRepository } from './blocks.repository';

/**
 * Whether two people are apart (a block either way): asked by every feature a block hides
 * something from (follows, likes, comments, rooms, mentions), hence global.
 */
@Global()
@Module({
  providers: [BlocksRepository],
  exports: [BlocksRepository],
})
export class BlocksDataModule {}
