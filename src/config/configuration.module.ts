import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { PublicOrigin } from '../common/http/public-origin';
import { allConfigs, APP_ENV } from './configuration';
import type { EnvironmentVariables } from './env.validation';

/**
 * Provides the validated environment (APP_ENV) and every namespace derived from it, to the
 * whole app. The namespaces are factories of APP_ENV: overriding APP_ENV reconfigures them all.
 * PublicOrigin (where links point) is provided here too: it is configuration read per request.
 */
@Module({})
export class ConfigurationModule {
  static forRoot(env: EnvironmentVariables): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_ENV, useValue: env },
      ...allConfigs.map((config) => ({
        provide: config.KEY,
        inject: [APP_ENV],
        useFactory: config,
      })),
      PublicOrigin,
    ];
    return {
      module: ConfigurationModule,
      global: true,
      providers,
      exports: [APP_ENV, ...allConfigs.map((config) => config.KEY), PublicOrigin],
    };
  }
}
