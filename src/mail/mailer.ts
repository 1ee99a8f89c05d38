export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends the app's emails. Bound to SMTP or the log at start-up; tests swap in a recorder. */
export abstract class Mailer {
  abstract send(message: MailMessage): Promise<void>;
}
