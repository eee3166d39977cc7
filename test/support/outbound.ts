// Real receivers for what the product sends out: an SMTP server (smtp-server) that keeps every
// message and splits it into its parts, and an HTTP server that keeps every webhook call and
// answers what the test tells it to. Plus the Poppler tools that read a PDF back.
import { execFile } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';

const run = promisify(execFile);

export interface MimePart {
  headers: Record<string, string>;
  body: Buffer;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  /** Every leaf part, decoded (base64 and quoted-printable). */
  parts: MimePart[];
  html: string;
  text: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`), as mail clients show them. */
function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=\s*(?==\?)?/gi, (_, _charset: string, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return headers;
}

function decode(body: string, encoding: string | undefined): Buffer {
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (encoding?.toLowerCase() === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1');
  }
  return Buffer.from(body, 'utf8');
}

/** The leaf parts of a MIME entity, multiparts opened recursively. */
export function mimeParts(entity: string): { headers: Record<string, string>; parts: MimePart[] } {
  const split = entity.indexOf('\r\n\r\n');
  const headers = parseHeaders(entity.slice(0, split));
  const body = entity.slice(split + 4);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) return { headers, parts: [{ headers, body: decode(body, headers['content-transfer-encoding']) }] };
  const chunks = body.split(`--${boundary}`).slice(1, -1);
  return { headers, parts: chunks.flatMap((c) => mimeParts(c.replace(/^\r\n/, '').replace(/\r\n$/, '')).parts) };
}

/** A local SMTP server keeping what it receives; `url` is what SMTP_URL should be. */
export async function startMailbox() {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: STARTTLS would need a certificate the sender trusts.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1');
        const { headers, parts } = mimeParts(raw);
        const of = (type: string) =>
          parts.find((p) => p.headers['content-type']?.startsWith(type) && !p.headers['content-disposition']?.startsWith('attachment'));
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers,
          parts,
          html: of('text/html')?.body.toString('utf8') ?? '',
          text: of('text/plain')?.body.toString('utf8') ?? '',
          attachments: parts
            .filter((p) => p.headers['content-disposition']?.startsWith('attachment'))
            .map((p) => ({
              filename: /filename="?([^";]+)"?/.exec(p.headers['content-disposition']!)![1]!,
              contentType: p.headers['content-type']!.split(';')[0]!,
              content: p.body,
            })),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedCall {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server keeping every call; `answer` sets how it answers the next ones. */
export async function startReceiver() {
  const calls: ReceivedCall[] = [];
  let status = 200;
  let extra: Record<string, string> = {};
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'text/plain', ...extra }).end(status < 300 ? 'ok' : 'receiver unavailable');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/reports`,
    port,
    calls,
    /** The status (and headers, e.g. a redirect's Location) of the answers from now on. */
    answer: (next: number, headers: Record<string, string> = {}) => {
      status = next;
      extra = headers;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A PDF's pages and text, read back with Poppler (pdfinfo, pdftotext). */
export async function readPdf(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rg-pdf-'));
  try {
    const file = path.join(dir, 'report.pdf');
    await writeFile(file, pdf);
    const info = (await run('pdfinfo', [file])).stdout;
    const text = (await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 ** 2 })).stdout;
    return { pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0), text };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
