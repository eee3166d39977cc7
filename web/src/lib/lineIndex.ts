// Where a file's lines end, by byte: an upload's progress event says how many bytes left the
// browser, and this turns that into how many rows left with them — the rows/s a person watching
// a large upload wants. Counted in one streaming pass over the file, in chunks (never whole).

export interface LineIndex {
  /** Lines (newline characters) up to each `step` bytes: counts[k] covers bytes [0, (k+1)·step). */
  counts: Uint32Array;
  step: number;
  total: number;
  /** Bytes in the file. */
  size: number;
}

/** Counts newlines in `chunks`, recording the running total every `step` bytes. */
export async function indexLines(chunks: AsyncIterable<Uint8Array>, size: number, step = 64 * 1024): Promise<LineIndex> {
  const counts = new Uint32Array(Math.max(1, Math.ceil(size / step)));
  let offset = 0;
  let lines = 0;
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === 10) lines++;
      if ((offset + i + 1) % step === 0) counts[(offset + i + 1) / step - 1] = lines;
    }
    offset += chunk.length;
  }
  counts[counts.length - 1] = lines;
  return { counts, step, total: lines, size: offset };
}

/** Lines wholly within the first `bytes` bytes (to the step below). */
export function linesWithin(index: LineIndex, bytes: number): number {
  if (bytes >= index.size) return index.total;
  const k = Math.floor(bytes / index.step) - 1;
  return k < 0 ? 0 : index.counts[k]!;
}

/** A File's bytes as an async iterable of chunks (ReadableStream is one in newer browsers only). */
export async function* fileChunks(file: Blob): AsyncIterable<Uint8Array> {
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}
