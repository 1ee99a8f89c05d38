import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { TokenService } from './auth/token.service';
import { createAppLogger } from './common/logging/app-logger';
import { appConfig, type ConfigType } from './config/configuration';
import { ConfigurationModule } from './config/configuration.module';
import { type EnvironmentVariables, validateEnv } from './config/env.validation';
import { BlocksModule } from './blocks/blocks.module';
import { ChatModule } from './chat/chat.module';
import { CommentsModule } from './comments/comments.module';
import { DatabaseModule } from './database/database.module';
import { FollowsModule } from './follows/follows.module';
import { HealthModule } from './health/health.module';
import { LikesModule } from './likes/likes.module';
import { MailModule } from './mail/mail.module';
import { MediaModule } from './media/media.module';
import { ModerationModule } from './moderation/moderation.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PostsModule } from './posts/posts.module';
import { ProfilesModule } from './profiles/profiles.module';
import { RealtimeModule } from './realtime/realtime.module';
import { SearchModule } from './search/search.module';
import { UsersModule } from './users/users.module';
import { WebController } from './web/web.controller';

export interface AppModuleOptions {
  /** The app's pino logger, shared with the Fastify adapter (see createAdapter). */
  logger?: Logger;
  /**
   * The validated environment the app runs with (see validateEnv); process.env by default.
   * Give the adapter the same one (createAdapter).
   */
  env?: EnvironmentVariables;
}

@Module({})
export class AppModule {
  /** Built at bootstrap (not at import) so a configuration error is reported, not thrown at load. */
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      controllers: [WebController],
      imports: [
        ConfigurationModule.forRoot(options.env ?? validateEnv(process.env)),
        LoggerModule.forRootAsync({
          inject: [appConfig.KEY],
          useFactory: (config: ConfigType<typeof appConfig>) => ({
            pinoHttp: { logger: options.logger ?? createAppLogger(config.logLevel) },
            // Requests are logged by Fastify (see createAdapter), not by pino-http's middleware.
            forRoutes: [],
          }),
        }),
        DatabaseModule,
        MailModule,
        MediaModule,
        UsersModule,
        AuthModule,
        // Sockets authenticate as HTTP requests do, through the auth feature's TokenService.
        RealtimeModule.forRoot({ imports: [AuthModule], authenticator: TokenService }),
        PostsModule,
        ProfilesModule,
        FollowsModule,
        LikesModule,
        CommentsModule,
        BlocksModule,
        SearchModule,
        ChatModule,
        NotificationsModule,
        ModerationModule,
        HealthModule,
      ],
    };
  }
}
