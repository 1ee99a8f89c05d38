import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BcryptWorkers } from './bcrypt-workers';
import { User } from './entities/user.entity';
import { PasswordService } from './password.service';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * Accounts: the users table and passwords, below every feature that acts for a person (auth,
 * posts, follows, chat). Its routes are served by ProfilesModule, which shows a person with
 * figures from the features above this one.
 */
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [UsersService, UsersRepository, PasswordService, BcryptWorkers],
  exports: [UsersService, PasswordService],
})
export class UsersModule {}
