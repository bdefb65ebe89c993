import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import { createMailTransport } from '../lib/mail-transport.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends the archive's few emails (password resets, invitations). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** The latest messages sent by this process (at most 100), newest last: for tests and the operator's log. */
  readonly outbox: readonly MailMessage[];
}

const OUTBOX_SIZE = 100;

/**
 * SMTP through nodemailer when SMTP_URL is set; otherwise nodemailer's JSON transport (nothing
 * leaves the machine) and the message is written to the log, so a small archive without mail can
 * still hand a reset link to a user by hand.
 */
export function createMailer(config: Config, log: (message: string) => void): Mailer {
  // SMTP_URL may also be `json:` or `stream:` (src/lib/mail-transport.ts): rendered, not sent.
  const { transport, delivers } = config.smtpUrl
    ? createMailTransport(config.smtpUrl)
    : { transport: nodemailer.createTransport({ jsonTransport: true }), delivers: false };
  const outbox: MailMessage[] = [];
  return {
    outbox,
    async send(message) {
      await transport.sendMail({ from: config.mailFrom, to: message.to, subject: message.subject, text: message.text });
      outbox.push(message);
      if (outbox.length > OUTBOX_SIZE) outbox.shift();
      if (!delivers) log(`Mail not sent (SMTP_URL unset or not a mail server) to ${message.to}: ${message.subject}\n${message.text}`);
    },
  };
}

/** The app's one mailer, made on first use. */
export function mailerOf(app: FastifyInstance, config: Config): Mailer {
  if (!app.hasDecorator('mailer'))
    app.decorate(
      'mailer',
      createMailer(config, (m) => app.log.info(m)),
    );
  return app.mailer;
}

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}
