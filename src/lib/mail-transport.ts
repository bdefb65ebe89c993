import nodemailer, { type Transporter } from 'nodemailer';

/**
 * A nodemailer transport for an SMTP_URL: `smtp://` or `smtps://` URLs deliver through that
 * server; `json:` renders each message as JSON and `stream:` as raw RFC 822 text without
 * sending anything (development and tests: no mail server needed).
 */
export function createMailTransport(smtpUrl: string): { transport: Transporter; delivers: boolean } {
  if (smtpUrl === 'json:') return { transport: nodemailer.createTransport({ jsonTransport: true }), delivers: false };
  if (smtpUrl === 'stream:')
    return { transport: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }), delivers: false };
  return { transport: nodemailer.createTransport(smtpUrl), delivers: true };
}
