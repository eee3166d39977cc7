import { Transform, type TransformCallback } from 'node:stream';
import { badInput, ErrorCode, ReportGraphError } from '../../../lib/errors.js';

export interface Progress {
  bytes: number;
  lines: number;
}

/**
 * Passes bytes through while counting lines, refusing a body over `maxBytes` (HTTP 413) or a line
 * over `maxLineBytes` — before either reaches PostgreSQL or memory.
 */
export class LineGuard extends Transform {
  readonly progress: Progress = { bytes: 0, lines: 0 };
  private lineBytes = 0;

  constructor(private readonly limits: { maxBytes: number; maxLineBytes: number; onProgress?: (p: Progress) => void }) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.progress.bytes += chunk.length;
    if (this.progress.bytes > this.limits.maxBytes) {
      done(
        new ReportGraphError(
          ErrorCode.BAD_USER_INPUT,
          `the file is larger than ${this.limits.maxBytes} bytes`,
          { limit: this.limits.maxBytes },
          413,
        ),
      );
      return;
    }
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      this.lineBytes += nl - start;
      if (this.lineBytes > this.limits.maxLineBytes) return done(this.tooLong());
      this.progress.lines++;
      this.lineBytes = 0;
      start = nl + 1;
    }
    this.lineBytes += chunk.length - start;
    if (this.lineBytes > this.limits.maxLineBytes) return done(this.tooLong());
    this.limits.onProgress?.(this.progress);
    done(null, chunk);
  }

  private tooLong() {
    const line = this.progress.lines + 1;
    return badInput(`line ${line} is longer than ${this.limits.maxLineBytes} bytes`, { line });
  }
}
