import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Piscina } from 'piscina';
import { workerScript } from '../common/workers/worker-script';
import { jwtConfig, type ConfigType } from '../config/configuration';

/**
 * Where bcrypt runs: `bcryptConcurrency` worker threads at a lower scheduling priority
 * (`bcryptNice`). A storm of logins then takes the CPU the API's requests leave idle, not
 * the time they need: on two cores, 20 concurrent logins at cost 12 left the feed 63% of
 * its throughput at normal priority.
 */
@Injectable()
export class BcryptWorkers implements OnModuleDestroy {
  private readonly pool: Piscina;

  constructor(
    @Inject(jwtConfig.KEY)
    config: Pick<ConfigType<typeof jwtConfig>, 'bcryptConcurrency' | 'bcryptNice'>,
  ) {
    this.pool = new Piscina({
      filename: workerScript(__dirname, 'bcrypt.worker.js'),
      minThreads: config.bcryptConcurrency,
      maxThreads: config.bcryptConcurrency,
      // Linux sets the priority of the calling thread only; elsewhere it would lower the
      // whole process's, the API's event loop included.
      niceIncrement: process.platform === 'linux' ? config.bcryptNice : 0,
    });
  }

  hash(password: string, rounds: number): Promise<string> {
    return this.pool.run({ password, rounds }, { name: 'hash' }) as Promise<string>;
  }

  compare(password: string, hash: string): Promise<boolean> {
    return this.pool.run({ password, hash }, { name: 'compare' }) as Promise<boolean>;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close({ force: true });
  }
}
