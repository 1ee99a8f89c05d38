import { Global, Module } from '@nestjs/common';
import { mailConfig, type ConfigType } from '../config/configuration';
import { LogMailer } from './log.mailer';
import { Mailer } from './mailer';
import { SmtpMailer } from './smtp.mailer';

@Global()
@Module({
  providers: [
    {
      provide: Mailer,
      inject: [mailConfig.KEY],
      useFactory: (config: ConfigType<typeof mailConfig>): Mailer =>
        config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.from) : new LogMailer(),
    },
  ],
  exports: [Mailer],
})
export class MailModule {}
