import { HttpStatus, Injectable } from '@nestjs/common';
import { AppException, badRequest, notFound } from '../common/errors/app.exception';
import type { ReceivedFile } from '../common/multipart/multipart';
import { uniqueViolation } from '../database/pg-errors';
import { IMAGE_TYPES } from '../media/media-types';
import { MediaService } from '../media/media.service';
import type { AdminUpdateUserDto } from './dto/admin-update-user.dto';
import type { UpdateMeDto } from './dto/update-me.dto';
import { User } from './entities/user.entity';
import { PasswordService } from './password.service';
import { UsersRepository } from './users.repository';
import { usernameFromEmail, withSuffix } from './username';

const EMAIL_CONSTRAINT = 'UQ_users_email';
const USERNAME_CONSTRAINT = 'UQ_users_username_lower';

export interface NewUser {
  email: string;
  password: string;
  username?: string;
  isSuperuser?: boolean;
  isVerified?: boolean;
}

/** Error codes per operation, in the FastAPI Users vocabulary the clients know. */
const CODES = {
  register: {
    email: 'REGISTER_USER_ALREADY_EXISTS',
    username: 'REGISTER_USERNAME_ALREADY_EXISTS',
    password: 'REGISTER_INVALID_PASSWORD',
  },
  update: {
    email: 'UPDATE_USER_EMAIL_ALREADY_EXISTS',
    username: 'UPDATE_USER_USERNAME_ALREADY_EXISTS',
    password: 'UPDATE_USER_INVALID_PASSWORD',
  },
} as const;
type Operation = keyof typeof CODES;

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly media: MediaService,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  findByIds(ids: string[]): Promise<User[]> {
    return this.users.findByIds(ids);
  }

  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw notFound('USER_NOT_FOUND', 'User not found');
    return user;
  }

  /** By username, case-insensitively (usernames are unique regardless of case). */
  async getByUsername(username: string): Promise<User> {
    const user = await this.users.findByUsername(username);
    if (!user) throw notFound('USER_NOT_FOUND', 'User not found');
    return user;
  }

  /** A user who is not banned (404 USER_NOT_FOUND otherwise: a ban hides the account). */
  async getActive(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user || !user.isActive) throw notFound('USER_NOT_FOUND', 'User not found');
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(email.trim().toLowerCase());
  }

  /** Stores a new avatar image through MediaService; the previous file is deleted after. */
  async setAvatar(user: User, file: ReceivedFile): Promise<User> {
    const stored = await this.media.store(file, { folder: 'avatars', allowed: IMAGE_TYPES });
    const previous =
      user.avatarStorage && user.avatarFileId
        ? { storage: user.avatarStorage, fileId: user.avatarFileId, path: user.avatarPath }
        : null;
    try {
      user.avatarStorage = stored.storage;
      user.avatarPath = stored.path;
      user.avatarFileId = stored.fileId;
      await this.users.save(user);
    } catch (err) {
      await this.media.remove(stored);
      throw err;
    }
    if (previous) await this.media.remove(previous);
    return user;
  }

  async create(input: NewUser): Promise<User> {
    const email = input.email.trim().toLowerCase();
    this.assertPassword('register', input.password, email);
    const hashedPassword = await this.passwords.hash(input.password);
    const derived = input.username === undefined;
    let username = input.username ?? usernameFromEmail(email);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.users.insert({
          email,
          username,
          hashedPassword,
          isSuperuser: input.isSuperuser ?? false,
          isVerified: input.isVerified ?? false,
        });
      } catch (err) {
        const constraint = uniqueViolation(err);
        // A derived username that is taken gets a random suffix; a chosen one is a conflict.
        if (constraint === USERNAME_CONSTRAINT && derived && attempt < 5) {
          username = withSuffix(usernameFromEmail(email));
          continue;
        }
        throw this.mapConflict(err, 'register');
      }
    }
  }

  async updateMe(user: User, dto: UpdateMeDto): Promise<User> {
    const changesCredentials =
      (dto.email !== undefined && dto.email !== user.email) || dto.password !== undefined;
    if (changesCredentials) {
      if (dto.current_password === undefined) {
        throw badRequest(
          'UPDATE_USER_CURRENT_PASSWORD_REQUIRED',
          'current_password is required to change email or password',
        );
      }
      if (!(await this.passwords.verify(dto.current_password, user.hashedPassword))) {
        throw badRequest('UPDATE_USER_BAD_CURRENT_PASSWORD', 'current_password is incorrect');
      }
    }
    return this.applyUpdate(user, {
      username: dto.username,
      bio: dto.bio,
      email: dto.email,
      password: dto.password,
    });
  }

  async adminUpdate(id: string, dto: AdminUpdateUserDto): Promise<User> {
    const user = await this.getById(id);
    return this.applyUpdate(user, {
      username: dto.username,
      bio: dto.bio,
      email: dto.email,
      password: dto.password,
      isActive: dto.is_active,
      isVerified: dto.is_verified,
      isSuperuser: dto.is_superuser,
    });
  }

  async delete(id: string): Promise<void> {
    if (!(await this.users.delete(id))) throw notFound('USER_NOT_FOUND', 'User not found');
  }

  /** Sets a new password and revokes every token issued before. */
  async setPassword(user: User, password: string, code: string): Promise<User> {
    const reason = this.passwords.policyViolation(password, user.email);
    if (reason) throw badRequest(code, reason);
    user.hashedPassword = await this.passwords.hash(password);
    user.tokenVersion += 1;
    return this.users.save(user);
  }

  async markVerified(user: User): Promise<User> {
    user.isVerified = true;
    return this.users.save(user);
  }

  /** Creates the user as superuser, or promotes the existing one with that email. */
  async ensureSuperuser(
    email: string,
    password?: string,
  ): Promise<{ user: User; created: boolean }> {
    const existing = await this.findByEmail(email);
    if (existing) {
      existing.isSuperuser = true;
      existing.isActive = true;
      if (password !== undefined) {
        return {
          user: await this.setPassword(existing, password, CODES.update.password),
          created: false,
        };
      }
      return { user: await this.users.save(existing), created: false };
    }
    if (password === undefined) {
      throw badRequest(
        'SUPERUSER_PASSWORD_REQUIRED',
        `No user ${email}: a password is needed to create it`,
      );
    }
    const user = await this.create({ email, password, isSuperuser: true, isVerified: true });
    return { user, created: true };
  }

  private async applyUpdate(
    user: User,
    changes: Partial<
      Pick<User, 'username' | 'bio' | 'email' | 'isActive' | 'isVerified' | 'isSuperuser'>
    > & {
      password?: string;
    },
  ): Promise<User> {
    const email = changes.email ?? user.email;
    if (changes.password !== undefined) {
      this.assertPassword('update', changes.password, email);
      user.hashedPassword = await this.passwords.hash(changes.password);
      user.tokenVersion += 1;
    }
    if (changes.email !== undefined && changes.email !== user.email) {
      user.email = changes.email;
      user.isVerified = false;
    }
    if (changes.isVerified !== undefined) user.isVerified = changes.isVerified;
    if (changes.username !== undefined) user.username = changes.username;
    if (changes.bio !== undefined) user.bio = changes.bio === '' ? null : changes.bio;
    if (changes.isSuperuser !== undefined) user.isSuperuser = changes.isSuperuser;
    if (changes.isActive !== undefined && changes.isActive !== user.isActive) {
      user.isActive = changes.isActive;
      // A ban ends every session at once; lifting it does not bring old tokens back.
      if (!changes.isActive) user.tokenVersion += 1;
    }
    try {
      return await this.users.save(user);
    } catch (err) {
      throw this.mapConflict(err, 'update');
    }
  }

  private assertPassword(op: Operation, password: string, email: string): void {
    const reason = this.passwords.policyViolation(password, email);
    if (reason) throw badRequest(CODES[op].password, reason);
  }

  private mapConflict(err: unknown, op: Operation): unknown {
    const constraint = uniqueViolation(err);
    // 400, as FastAPI Users answers these codes: its clients branch on status and code.
    if (constraint === EMAIL_CONSTRAINT) {
      return badRequest(CODES[op].email, 'A user with this email already exists');
    }
    if (constraint === USERNAME_CONSTRAINT) {
      return badRequest(CODES[op].username, 'This username is already taken');
    }
    if (constraint !== undefined) {
      return new AppException(
        HttpStatus.CONFLICT,
        'CONFLICT',
        'The change conflicts with existing data',
      );
    }
    return err;
  }
}
