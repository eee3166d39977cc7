// Transfers a client stalls. An export streams from a database cursor and an upload streams into a
// COPY inside a transaction: both hold a connection for as long as the transfer lasts, so a client
// that stops reading a download, or stops sending an upload (or sends a byte now and then), could
// hold connections for as long as it likes with a few sockets. Each is cut after
// TRANSFER_IDLE_SECONDS without progress on the client's side, an upload also when it averages
// under TRANSFER_MIN_BYTES_PER_SECOND over that time: the socket is destroyed, and what was streaming fails and lets go of what it held
// (the cursor is closed, the transaction rolled back).
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Cuts a download whose client stops reading: once a write finds the socket's buffer full, the
 * client has `seconds` to take it (the 'drain') before the response is destroyed — a minimum rate
 * of one chunk (64 KiB for CSV) per `seconds`. Time the server spends producing the next bytes (a
 * slow query) does not count.
 */
export function cutStalledDownload(res: ServerResponse, seconds: number): void {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  let timer: NodeJS.Timeout | undefined;
  const drained = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  res.write = ((...args: unknown[]) => {
    const ok = write(...args);
    if (!ok && !timer && !res.destroyed) {
      timer = setTimeout(() => res.destroy(new Error(`the client read nothing for ${seconds} s`)), seconds * 1000);
      timer.unref();
      res.once('drain', drained);
    }
    return ok;
  }) as ServerResponse['write'];
  res.once('close', drained);
}

/** How often a transfer's progress is looked at. */
const CHECK_MS = 500;

/**
 * Cuts an upload whose client stops sending, or sends too slowly: the server has taken every byte
 * that arrived, the body is not complete, and no byte has come for `seconds` — or, over `seconds`
 * of reading, fewer than `minBytesPerSecond` a second came (a trickle that keeps a connection and
 * the dataset's lock; Apache's mod_reqtimeout MinRate). A server that is not reading (waiting for
 * an ingest connection or the dataset's lock) leaves what arrives buffered, and that time counts
 * toward neither, so a client still sending is never cut for the server's wait, nor one whose body
 * has all arrived. The socket's own timeouts (keep-alive) are left as they are.
 */
export function cutStalledUpload(req: IncomingMessage, res: ServerResponse, seconds: number, minBytesPerSecond = 0): void {
  const socket = req.socket;
  let seen = socket.bytesRead;
  let since = Date.now();
  /** Where the current window of the rate began: its time and the bytes read then. */
  let window = { at: since, bytes: seen };
  const timer = setInterval(() => {
    if (req.complete || req.destroyed) return stop();
    const now = Date.now();
    if (req.readableLength > 0) {
      // The server is behind: nothing the client does or does not send counts now.
      seen = socket.bytesRead;
      since = now;
      window = { at: now, bytes: seen };
      return;
    }
    if (socket.bytesRead !== seen) {
      seen = socket.bytesRead;
      since = now;
    } else if (now - since >= seconds * 1000) {
      stop();
      req.destroy(new Error(`the client sent nothing for ${seconds} s`));
      return;
    }
    if (now - window.at >= seconds * 1000) {
      const sent = socket.bytesRead - window.bytes;
      const elapsed = (now - window.at) / 1000;
      if (sent < minBytesPerSecond * elapsed) {
        stop();
        req.destroy(new Error(`the client sent ${sent} bytes in ${elapsed.toFixed(1)} s, under ${minBytesPerSecond} a second`));
        return;
      }
      window = { at: now, bytes: socket.bytesRead };
    }
  }, CHECK_MS);
  timer.unref();
  const stop = () => clearInterval(timer);
  req.once('end', stop);
  req.once('close', stop);
  res.once('close', stop);
}
