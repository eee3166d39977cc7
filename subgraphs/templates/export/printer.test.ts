import { describe, expect, it } from 'vitest';
import { ReportGraphError } from '../../../lib/errors.js';
import { createLogger } from '../../../lib/logger.js';
import { createPdfPrinter, PrintTimeoutError } from './printer.js';

const page = { html: '<p>hello</p>', headerTemplate: '<span></span>', footerTemplate: '<span></span>' };

describe('the PDF printer', () => {
  it('answers SERVICE_UNAVAILABLE, naming the setting, on a server without Chromium — and prints again once asked after', async () => {
    const printer = createPdfPrinter({
      chromiumPath: '/nonexistent/chromium',
      concurrency: 1,
      timeoutMs: 5000,
      logger: createLogger({ logLevel: 'silent' }),
    });
    for (let i = 0; i < 2; i++) {
      const err = await printer.print(page).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ReportGraphError);
      expect((err as ReportGraphError).code).toBe('SERVICE_UNAVAILABLE');
      expect((err as ReportGraphError).status).toBe(503);
      expect((err as ReportGraphError).message).toMatch(/no Chromium at \/nonexistent\/chromium \(PDF_CHROMIUM_PATH\)/);
    }
    await printer.close();
  });

  it('says a print given up on was not printed in time, as SERVICE_UNAVAILABLE with its limit', () => {
    const err = new PrintTimeoutError(30000);
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    expect(err.status).toBe(503);
    expect(err.extensions.limit).toBe('PDF_TIMEOUT_MS');
    expect(err.message).toBe('the PDF was not printed within 30000 ms (PDF_TIMEOUT_MS)');
  });
});
