import { Mailer, type MailMessage } from '../../src/mail/mailer';

/** Takes the Mailer's place in tests: keeps what was sent so tests can read tokens. */
export class RecordingMailer extends Mailer {
  readonly sent: MailMessage[] = [];

  send(message: MailMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }

  /** The token of the newest mail to `to` whose subject matches. */
  lastToken(to: string, subject: RegExp): string {
    const mail = [...this.sent].reverse().find((m) => m.to === to && subject.test(m.subject));
    const token = mail && /token[^:]*: (\S+)/.exec(mail.text)?.[1];
    if (!token) throw new Error(`No mail with a token to ${to} matching ${subject}`);
    return token;
  }

  count(to: string): number {
    return this.sent.filter((m) => m.to === to).length;
  }
}
