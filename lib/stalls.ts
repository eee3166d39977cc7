// Transfers a client stalls. An export streams from a database cursor and an upload streams into a
// COPY inside a transaction: both hold a connection for as long as the transfer lasts, so a client
// that stops reading a download, or stops sending an upload, could hold connections for as long as
// it likes with a few sockets. Each is cut after TRANSFER_IDLE_SECONDS without progress on the
// client's side: the socket is destroyed, and what was streaming fails and lets go of what it held
// (the cursor is closed, the transaction rolled back).
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Cuts a download whose client stops reading: once a write finds the socket's buffer full, the
 * client has `seconds` to take it (the 'drain') before the response is destroyed. Time the server
 * spends producing the next bytes (a slow query) does not count.
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

/**
 * Cuts an upload whose client stops sending: no byte for `seconds` before the body has all
 * arrived and the request is destroyed. Once it has, the server's own work (the rest of the COPY,
 * profiling) has no such limit, nor have keep-alive requests after it.
 */
export function cutStalledUpload(req: IncomingMessage, res: ServerResponse, seconds: number): void {
  const socket = req.socket;
  const cut = () => req.destroy(new Error(`the client sent nothing for ${seconds} s`));
  const done = () => {
    socket.off('timeout', cut);
    socket.setTimeout(0);
  };
  socket.setTimeout(seconds * 1000);
  socket.on('timeout', cut);
  req.once('end', done);
  res.once('close', done);
}
