import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { User } from './entities/user.entity';

/** The users table, as whole accounts (the hot account check is AccountsRepository's). */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get users() {
    return this.dataSource.getRepository(User);
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<User[]> {
    return ids.length ? this.users.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  /** Case-insensitively: usernames are unique regardless of case (UQ_users_username_lower). */
  findByUsername(username: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  /** `email` as stored (trimmed, lower case). */
  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email });
  }

  /** A new account; unique violations (UQ_users_email, UQ_users_username_lower) propagate. */
  insert(
    values: Pick<User, 'email' | 'username' | 'hashedPassword' | 'isSuperuser' | 'isVerified'>,
  ): Promise<User> {
    return this.users.save(this.users.create(values));
  }

  /** Writes the account's changed columns. */
  save(user: User): Promise<User> {
    return this.users.save(user);
  }

  /** False when there was no such account. */
  async delete(id: string): Promise<boolean> {
    return Boolean((await this.users.delete({ id })).affected);
  }
}
