/**
 * email and email-json deliveries: the texts SNS sends (worded like AWS's, with Osprey's links) and
 * an SMTP sender (nodemailer).
 */
import nodemailer from 'nodemailer';

export interface SmtpConfig {
  host: string;
  port: number;
  /** true = TLS from the first byte (port 465); false = plain, upgraded with STARTTLS when offered. */
  secure?: boolean;
  user?: string;
  pass?: string;
  /** Envelope and header sender, e.g. `osprey@example.com`; the topic's DisplayName becomes its name. */
  from: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Shown as the sender's name (the topic's DisplayName). */
  fromName?: string;
}

export interface Mailer {
  send(m: MailMessage): Promise<void>;
  close(): void;
}

/** A failed send; `permanent` when the server refused for good (SMTP 5xx, e.g. unknown recipient). */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export const DEFAULT_EMAIL_SUBJECT = 'AWS Notification Message';
export const CONFIRMATION_EMAIL_SUBJECT = 'AWS Notification - Subscription Confirmation';

export function notificationEmailText(message: string, unsubscribeUrl: string): string {
  return (
    `${message}\n\n--\n` +
    'If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n' +
    `${unsubscribeUrl}\n\n` +
    'Please do not reply directly to this email. It was sent by Osprey on behalf of an SNS topic.\n'
  );
}

export function confirmationEmailText(topicArn: string, confirmUrl: string): string {
  return (
    `You have chosen to subscribe to the topic: \n${topicArn}\n\n` +
    'To confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n' +
    `Confirm subscription: ${confirmUrl}\n\n` +
    'Please do not reply directly to this email. It was sent by Osprey on behalf of an SNS topic.\n'
  );
}

export function smtpMailer(cfg: SmtpConfig, timeoutMs: number): Mailer {
  const transport = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure ?? false,
    ...(cfg.user !== undefined ? { auth: { user: cfg.user, pass: cfg.pass ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(m) {
      try {
        await transport.sendMail({
          from: m.fromName ? { name: m.fromName, address: cfg.from } : cfg.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
        });
      } catch (e) {
        const err = e as Error & { responseCode?: number; code?: string; response?: string };
        const code = err.responseCode;
        const permanent = code !== undefined && code >= 500 && code < 600;
        throw new MailError(`SMTP ${cfg.host}:${cfg.port}: ${err.response ?? err.message}`, permanent);
      }
    },
    close: () => transport.close(),
  };
}
