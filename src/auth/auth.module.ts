import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { jwtConfig, throttleConfig, type ConfigType } from '../config/configuration';
import { UsersModule } from '../users/users.module';
import { User } from '../users/entities/user.entity';
import { AccountsRepository } from './accounts.repository';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RefreshToken } from './entities/refresh-token.entity';
import { RevokedToken } from './entities/revoked-token.entity';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { ActionRateLimitGuard } from './rate-limit';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { BearerStrategy } from './strategies/bearer.strategy';
import { PasswordStrategy } from './strategies/password.strategy';
import { TokenService } from './token.service';

@Module({
  imports: [
    UsersModule,
    TypeOrmModule.forFeature([RevokedToken, User, RefreshToken]),
    JwtModule.registerAsync({
      inject: [jwtConfig.KEY],
      useFactory: (config: ConfigType<typeof jwtConfig>) => {
        // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to
        // parse it as a public key at every verify, which cost a third of a feed request's CPU.
        const key = createSecretKey(Buffer.from(config.secret));
        return {
          // A secret given to one call (none in the app) still wins, as with `secret`.
          secretOrKeyProvider: (_type: unknown, _token: unknown, options?: object) =>
            (options as { secret?: string } | undefined)?.secret ?? key,
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
    ThrottlerModule.forRootAsync({
      inject: [throttleConfig.KEY],
      useFactory: async (config: ConfigType<typeof throttleConfig>) => ({
        throttlers: [
          { name: 'default', ttl: config.authTtlSeconds * 1000, limit: config.authLimit },
        ],
        errorMessage: 'Too many requests; retry after the time given in Retry-After',
        // With Redis, instances share one count per client; without it, each counts alone.
        storage: config.redisUrl ? await RedisThrottlerStorage.connect(config.redisUrl) : undefined,
      }),
    }),
  ],
  controllers: [AuthController, SessionsController],
  providers: [
    AuthService,
    TokenService,
    SessionsService,
    SessionsRepository,
    AccountsRepository,
    // Passport's strategies: the Bearer token of every route, the password form of login.
    BearerStrategy,
    PasswordStrategy,
    // Deny by default: every route needs a token unless marked @Public().
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    // After authentication: per-user limits of @RateLimit routes.
    { provide: APP_GUARD, useClass: ActionRateLimitGuard },
  ],
  exports: [TokenService],
})
export class AuthModule {}
