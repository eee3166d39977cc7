// A model upload lands on disk, never whole in memory while it arrives: the body streams to a
// private temporary file, hashed and counted on the way, and is read back only once it is complete
// and within the size limit. A client that sends more than the limit is cut off at the limit.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { badInput, ErrorCode, ReportGraphError } from '../../../lib/errors.js';

/** A complete upload, within the limit. */
export interface UploadedModel {
  bytes: Uint8Array;
  /** sha256 of `bytes`, hex, computed as they arrived. */
  sha256: string;
}

/** 413: the upload is (or declares itself) larger than `maxBytes`. */
export const tooLarge = (maxBytes: number) =>
  new ReportGraphError(ErrorCode.BAD_USER_INPUT, `the model is larger than ${maxBytes} bytes`, { limit: maxBytes }, 413);

/**
 * Streams `body` to a temporary file under `os.tmpdir()`, then hands its bytes to `use`. The file
 * is removed afterwards, whatever happens.
 * @throws 413 BAD_USER_INPUT past `maxBytes`, without reading further
 */
export async function withUploadedModel<T>(body: Readable, maxBytes: number, use: (model: UploadedModel) => Promise<T>): Promise<T> {
  // A fresh directory only this process may enter: no other user can plant a link at the name.
  const dir = await mkdtemp(path.join(tmpdir(), 'reportgraph-model-'));
  try {
    const file = path.join(dir, 'upload.onnx');
    const sha256 = await spool(body, file, maxBytes);
    return await use({ bytes: await readFile(file), sha256 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `body` to `file`, counting and hashing it; resolves to its sha256 (hex). */
async function spool(body: Readable, file: string, maxBytes: number): Promise<string> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // Piped rather than given to pipeline(): pipeline destroys its source on failure, and destroying
  // a request destroys its socket — the one the 413 still has to be written to.
  const cutOff = () => meter.destroy(badInput('the upload ended before its last byte'));
  const onClose = () => {
    if (!body.readableEnded) cutOff();
  };
  body.once('error', cutOff).once('close', onClose).pipe(meter);
  try {
    await pipeline(meter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    return hash.digest('hex');
  } finally {
    body.unpipe(meter);
    body.off('error', cutOff).off('close', onClose);
  }
}
