import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { allConfigs, appConfig } from './config/configuration';
import { validateEnv } from './config/env.validation';
import { ChatModule } from './chat/chat.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { MediaModule } from './media/media.module';
import { PostsModule } from './posts/posts.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  /** Built at bootstrap (not at import) so a configuration error is reported, not thrown at load. */
  static forRoot(): DynamicModule {
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
            pinoHttp: {
              level: config.logLevel,
              // The id Fastify gave the request (see createAdapter), copied to the raw request.
              genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
              redact: ['req.headers.authorization', 'req.headers.cookie'],
              customLogLevel: (_req, res, err) =>
                err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
              autoLogging: { ignore: (req) => req.url === '/health/live' },
            },
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
