import { createMailTransport } from '../lib/mail-transport.ts';

/** One email as the notification jobs write it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Stable per recipient and event, so a mail system can drop a duplicate delivery. */
  messageId: string;
}

/** Sends email; throwing means "not sent", and the job is retried later. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** With SMTP_URL=json: or stream:, the messages rendered so far (newest last); nothing is delivered. */
  readonly outbox: string[] | undefined;
}

const OUTBOX_LIMIT = 200;

/**
 * The mailer for SMTP_URL: an smtp:// or smtps:// URL delivers through that server with
 * nodemailer; `json:` renders each message as JSON and `stream:` as raw RFC 822 text, keeping
 * them in `outbox` (for development and tests: no mail server needed). Undefined: no email.
 */
export function createMailer(smtpUrl: string | undefined, from: string): Mailer | undefined {
  if (!smtpUrl) return undefined;
  const { transport, delivers } = createMailTransport(smtpUrl);
  const outbox = delivers ? undefined : ([] as string[]);
  return {
    outbox,
    async send(message) {
      const info = (await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
      })) as { message?: unknown };
      if (outbox) {
        outbox.push(Buffer.isBuffer(info.message) ? info.message.toString('utf8') : String(info.message));
        if (outbox.length > OUTBOX_LIMIT) outbox.shift();
      }
    },
  };
}
