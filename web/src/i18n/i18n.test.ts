import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en.js';
import { translate } from './i18n.js';
import { zh } from './zh.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('say the same things in Chinese: every key, with the same placeholders', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as MessageKey[]) expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
  });

  it('fill placeholders and keep an unfilled one visible', () => {
    expect(translate('en', 'error.line', { line: 12 })).toBe('line 12');
    expect(translate('zh', 'error.line', { line: 12 })).toBe('第 12 行');
    expect(translate('en', 'error.line')).toBe('line {line}');
  });
});
