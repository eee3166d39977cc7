import { describe, expect, it } from 'vitest';
import { indexLines, linesWithin } from './lineIndex.js';

async function* chunks(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('line index', () => {
  it('says how many lines lie within the bytes sent, whatever the chunking', async () => {
    const text = Array.from({ length: 100 }, (_, i) => `row ${i}`).join('\n') + '\n'; // 100 lines, 690 bytes
    for (const chunk of [1, 7, 64, 4096]) {
      const index = await indexLines(chunks(text, chunk), text.length, 16);
      expect(index.total).toBe(100);
      expect(linesWithin(index, 0)).toBe(0);
      expect(linesWithin(index, text.length)).toBe(100);
      // Up to the step below: bytes [0, 320) hold the newlines of the first rows.
      const upTo = text.slice(0, 320).split('\n').length - 1;
      expect(linesWithin(index, 320)).toBe(upTo);
      expect(linesWithin(index, 330)).toBe(upTo); // 330 rounds down to the 320 step
    }
  });
});
