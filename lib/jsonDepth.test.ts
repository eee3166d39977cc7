import { describe, expect, it } from 'vitest';
import { jsonDeeperThan, valueDeeperThan } from './jsonDepth.js';

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

describe('valueDeeperThan', () => {
  it('measures parsed values as the text would be, without recursion', () => {
    const text = '{"a":[1,{"b":[2]}]}';
    expect(valueDeeperThan(JSON.parse(text), 4)).toBe(jsonDeeperThan(text, 4));
    expect(valueDeeperThan(JSON.parse(text), 3)).toBe(true);
    expect(valueDeeperThan('plain', 0)).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(valueDeeperThan({ v: deep }, 64)).toBe(true);
  });
});
