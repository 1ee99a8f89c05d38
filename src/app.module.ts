import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { createAppLogger } from './common/logging/app-logger';
import { allConfigs, appConfig } from './config/configuration';
import { validateEnv } from './config/env.validation';
import { ChatModule } from './chat/chat.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { MediaModule } from './media/media.module';
import { PostsModule } from './posts/posts.module';
import { UsersModule } from './users/users.module';

export interface AppModuleOptions {
  /** The app's pino logger, shared with the Fastify adapter (see createAdapter). */
  logger?: Logger;
}

@Module({})
export class AppModule {
  /** Built at bootstrap (not at import) so a configuration error is reported, not thrown at load. */
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: false,
          load: allConfigs,
          validate: validateEnv,
        }),
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
        PostsModule,
        ChatModule,
        HealthModule,
      ],
    };
  }
}
