// Email delivery through the operator's SMTP server (SMTP_URL, MAIL_FROM), with nodemailer. The
// Message-ID is the delivery's id, so a retry after a lost answer is one message to mail clients
// that de-duplicate, and a reply code below 500 (or no answer) is worth another attempt.
import nodemailer from 'nodemailer';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface Mail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments: MailAttachment[];
  /** Becomes the Message-ID: one per delivery, the same on every attempt. */
  deliveryId: string;
}

export interface SendOutcome {
  ok: boolean;
  /** The SMTP reply code, or the webhook's HTTP status. */
  responseCode: number | null;
  error: string | null;
  /** Trying again cannot help (a refused address, a 4xx answer, a private network). */
  permanent: boolean;
}

export interface Mailer {
  send(mail: Mail): Promise<SendOutcome>;
  close(): void;
}

export function createMailer({ smtpUrl, from, timeoutMs = 30_000 }: { smtpUrl: string; from: string; timeoutMs?: number }): Mailer {
  const transport = nodemailer.createTransport(
    { url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs },
    { from },
  );
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'reportgraph.local';
  return {
    async send({ to, subject, html, text, attachments, deliveryId }) {
      try {
        const info = await transport.sendMail({ to, subject, html, text, attachments, messageId: `<${deliveryId}@${domain}>` });
        const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1] ?? 250);
        return { ok: true, responseCode: code, error: null, permanent: false };
      } catch (err) {
        const e = err as Error & { responseCode?: number };
        const code = typeof e.responseCode === 'number' ? e.responseCode : null;
        return { ok: false, responseCode: code, error: e.message, permanent: code !== null && code >= 500 };
      }
    },
    close: () => transport.close(),
  };
}
