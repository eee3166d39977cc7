// Prints HTML to PDF with headless Chromium (Debian's, driven by playwright-core). One browser per
// process, started on the first print and started again if it dies: a browser per request costs a
// second and ~100 MB. Each print gets a fresh context (no cookies, cache or storage shared between
// reports), scripts off and every network request refused — the page is self-contained. At most
// PDF_CONCURRENCY prints run at once; the rest wait, and a print that has not finished within
// PDF_TIMEOUT_MS of being asked for (waiting included) is given up.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { ErrorCode, rateLimited, ReportGraphError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import type { PrintPage } from './printPage.js';

/** The flags of a headless print server: no GPU, no background traffic, no profile of its own to keep. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Prints waiting per print slot before more are refused outright (RATE_LIMITED): a bound on memory, not a policy. */
const WAITING_PER_SLOT = 16;

export interface PdfPrinterOptions {
  /** @default '/usr/bin/chromium' (config `PDF_CHROMIUM_PATH`) */
  chromiumPath: string;
  /** @default 2 (config `PDF_CONCURRENCY`) */
  concurrency: number;
  /** @default 30000 (config `PDF_TIMEOUT_MS`) */
  timeoutMs: number;
  logger: Logger;
}

export interface PdfPrinter {
  print(page: PrintPage): Promise<Buffer>;
  /** Closes the browser; a later print starts it again. */
  close(): Promise<void>;
}

/** A print not done in time: SERVICE_UNAVAILABLE (503), the caller may try again later. */
export class PrintTimeoutError extends ReportGraphError {
  constructor(timeoutMs: number) {
    super(ErrorCode.SERVICE_UNAVAILABLE, `the PDF was not printed within ${timeoutMs} ms (PDF_TIMEOUT_MS)`, { limit: 'PDF_TIMEOUT_MS' });
    this.name = 'PrintTimeoutError';
  }
}

/** No browser to print with on this server: SERVICE_UNAVAILABLE (503), said in words rather than as an internal error. */
const noChromium = (path: string) =>
  new ReportGraphError(
    ErrorCode.SERVICE_UNAVAILABLE,
    `PDF exports are not available on this server: no Chromium at ${path} (PDF_CHROMIUM_PATH); CSV and XLSX exports work`,
    { setting: 'PDF_CHROMIUM_PATH' },
  );

export function createPdfPrinter({ chromiumPath, concurrency, timeoutMs, logger }: PdfPrinterOptions): PdfPrinter {
  let browser: Promise<Browser> | null = null;
  let closing = false;
  let active = 0;
  const waiting: Array<() => void> = [];

  let missingLogged = false;
  function launch(): Promise<Browser> {
    if (!browser && !existsSync(chromiumPath)) {
      if (!missingLogged) logger.warn({ chromiumPath }, 'no Chromium at PDF_CHROMIUM_PATH: PDF exports answer SERVICE_UNAVAILABLE');
      missingLogged = true;
      return Promise.reject(noChromium(chromiumPath));
    }
    // playwright-core is loaded with the first print: ~20 MB of code a process that never prints does not hold.
    browser ??= import('playwright-core')
      .then(({ chromium }) => chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS, timeout: timeoutMs }))
      .then(
        (b) => {
          b.on('disconnected', () => {
            if (closing) return;
            logger.warn('the PDF browser stopped; the next print starts another');
            browser = null;
          });
          return b;
        },
        (err: unknown) => {
          browser = null;
          throw err;
        },
      );
    return browser;
  }

  async function slot(deadline: number): Promise<void> {
    if (active < concurrency) {
      active++;
      return;
    }
    if (waiting.length >= concurrency * WAITING_PER_SLOT) {
      throw rateLimited(`${waiting.length} PDFs are waiting to print; try again shortly`, 'PDF_CONCURRENCY', 5);
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(granted), 1);
        reject(new PrintTimeoutError(timeoutMs));
      }, deadline - Date.now());
      const granted = () => {
        clearTimeout(timer);
        resolve();
      };
      waiting.push(granted);
    });
  }

  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  async function render({ html, headerTemplate, footerTemplate }: PrintPage, deadline: number): Promise<Buffer> {
    const context = await (await launch()).newContext({ javaScriptEnabled: false, offline: true });
    const timer = setTimeout(() => void context.close().catch(() => {}), Math.max(0, deadline - Date.now()));
    try {
      await context.route('**/*', (route) => route.abort());
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout: Math.max(1, deadline - Date.now()) });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate,
        footerTemplate,
      });
    } catch (err) {
      if (Date.now() >= deadline && !(err instanceof ReportGraphError)) throw new PrintTimeoutError(timeoutMs);
      throw err;
    } finally {
      clearTimeout(timer);
      await context.close().catch(() => {});
    }
  }

  return {
    async print(page) {
      const deadline = Date.now() + timeoutMs;
      await slot(deadline);
      try {
        return await render(page, deadline);
      } finally {
        release();
      }
    },
    async close() {
      const open = browser;
      browser = null;
      closing = true;
      try {
        if (open) await (await open.catch(() => null))?.close();
      } finally {
        closing = false;
      }
    },
  };
}
