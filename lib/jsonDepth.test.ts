import { describe, expect, it } from 'vitest';
import { jsonDeeperThan } from './jsonDepth.js';

describe('jsonDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonDeeperThan('{"a":[1,{"b":[2]}]}', 4)).toBe(false);
    expect(jsonDeeperThan('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
    expect(jsonDeeperThan('{"a":"[[[[[[[[{{{{{{"}', 1)).toBe(false);
    expect(jsonDeeperThan('{"a":"\\"[[[[[[\\\\"}', 1)).toBe(false); // escaped quote, then an escaped backslash before the end
    expect(jsonDeeperThan('[]'.repeat(1000), 1)).toBe(false); // wide, not deep
  });

  it('finds a hostile nesting in a large body, in bytes or text', () => {
    const deep = `{"variables":{"p":${'['.repeat(4_000_000)}${']'.repeat(4_000_000)}}}`;
    expect(jsonDeeperThan(Buffer.from(deep), 64)).toBe(true);
    expect(jsonDeeperThan(deep, 64)).toBe(true);
    expect(jsonDeeperThan(deep, 5_000_000)).toBe(false);
  });
});
