import { type DynamicModule, type ModuleMetadata, Module, type Type } from '@nestjs/common';
import { chatConfig, type ConfigType } from '../config/configuration';
import { LocalRealtimeBus, RealtimeBus, RedisRealtimeBus } from './realtime-bus';
import { SOCKET_AUTHENTICATOR, type SocketAuthenticator } from './socket-authenticator';
import { SocketSupervisor } from './socket-supervisor';

export interface RealtimeModuleOptions {
  /** The module that exports the authenticator. */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** The app's authentication for sockets (a provider of one of `imports`). */
  authenticator: Type<SocketAuthenticator>;
}

/**
 * Real-time transport for every feature: the bus between instances and the supervision of
 * open sockets. Global, so features reach it without depending on each other; it knows no
 * feature, and is handed the app's authentication by the root module.
 */
@Module({})
export class RealtimeModule {
  static forRoot(options: RealtimeModuleOptions): DynamicModule {
    return {
      module: RealtimeModule,
      global: true,
      imports: options.imports,
      providers: [
        { provide: SOCKET_AUTHENTICATOR, useExisting: options.authenticator },
        {
          // Redis pub/sub across instances when REDIS_URL is set; in-process otherwise.
          provide: RealtimeBus,
          inject: [chatConfig.KEY],
          useFactory: async (config: ConfigType<typeof chatConfig>): Promise<RealtimeBus> => {
            if (!config.redisUrl) return new LocalRealtimeBus();
            const bus = new RedisRealtimeBus(config.redisUrl);
            // Start even when Redis is down: events are then delivered locally until it is back.
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([bus.ready(), new Promise((r) => (timer = setTimeout(r, 2000)))]);
            clearTimeout(timer);
            return bus;
          },
        },
        SocketSupervisor,
      ],
      exports: [RealtimeBus, SocketSupervisor],
    };
  }
}
