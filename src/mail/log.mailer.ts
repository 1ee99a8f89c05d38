import { Logger } from '@nestjs/common';
import { Mailer, MailMessage } from './mailer';

/** Without SMTP_URL, emails (with their links and tokens) are written to the log. */
export class LogMailer extends Mailer {
  private readonly logger = new Logger('Mailer');

  send(message: MailMessage): Promise<void> {
    this.logger.log(`Email to ${message.to}: ${message.subject}\n${message.text}`);
    return Promise.resolve();
  }
}
