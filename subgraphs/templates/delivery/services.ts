// The outbound machinery of one templates process: the PDF printer (one pooled browser), the
// SMTP mailer (when SMTP_URL is set) and the webhook sender (one connection pool under the
// network policy). Building them starts nothing: the browser starts on the first PDF.
import type { Config } from '../../../lib/config.js';
import type { Logger } from '../../../lib/logger.js';
import { createPdfPrinter, type PdfPrinter } from '../export/printer.js';
import { createMailer, type Mailer } from './mail.js';
import { createWebhookSender, type WebhookSender } from './webhook.js';

export interface DeliveryServices {
  printer: PdfPrinter;
  /** Null when SMTP_URL is unset: schedules then refuse recipients. */
  mailer: Mailer | null;
  webhooks: WebhookSender;
}

export function createDeliveryServices(config: Config, logger: Logger): DeliveryServices & { close(): Promise<void> } {
  const { pdf, mail, webhook } = config.reports;
  const printer = createPdfPrinter({ ...pdf, logger: logger.child({ part: 'pdf' }) });
  const mailer = mail.smtpUrl ? createMailer({ smtpUrl: mail.smtpUrl, from: mail.from }) : null;
  const webhooks = createWebhookSender({ allowPrivate: webhook.allowPrivateNetworks, timeoutMs: webhook.timeoutMs });
  return {
    printer,
    mailer,
    webhooks,
    async close() {
      mailer?.close();
      await Promise.all([printer.close(), webhooks.close()]);
    },
  };
}
