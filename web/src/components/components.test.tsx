// Components rendered to HTML as React renders them for the page: what a screen reader and the
// browser tests rely on — labelled fields, table roles and counts, errors said in words.
import { renderToStaticMarkup } from 'react-dom/server';
import { Client, fetchExchange, Provider } from 'urql';
import { beforeAll, describe, expect, it } from 'vitest';
import { I18nProvider, translate } from '../i18n/i18n.js';
import { SignIn } from '../screens/SignIn.js';
import { SessionProvider } from '../session.js';
import { describeError } from './ErrorMessage.js';
import { Histogram } from './Histogram.js';
import { VirtualTable } from './VirtualTable.js';
import type { ReactNode } from 'react';

beforeAll(() => {
  // Node has no Web Storage; the providers read the stored language and session at start.
  const memory = () => {
    const map = new Map<string, string>();
    return {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
  };
  Object.assign(globalThis, { localStorage: memory(), sessionStorage: memory() });
  Object.defineProperty(globalThis, 'navigator', { value: { language: 'en-US' }, configurable: true });
});

const render = (node: ReactNode) => {
  const client = new Client({ url: 'http://gateway.invalid/graphql', exchanges: [fetchExchange] });
  return renderToStaticMarkup(
    <I18nProvider>
      <SessionProvider>
        <Provider value={client}>{node}</Provider>
      </SessionProvider>
    </I18nProvider>,
  );
};

describe('the sign-in form', () => {
  it('labels its username and password fields', () => {
    const html = render(<SignIn />);
    expect(html).toContain('<label for="username">Username</label><input id="username" autoComplete="username" required=""');
    expect(html).toContain('<label for="password">Password</label><input id="password" type="password" autoComplete="current-password"');
  });
});

describe('VirtualTable', () => {
  it('puts only the rows in view in the page, and tells assistive technology how many there are', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [i, `row ${i}`]);
    const html = render(<VirtualTable label="Rows" columns={[{ name: 'n', type: 'INTEGER' }, { name: 'text' }]} rows={rows} />);
    expect(html).toContain('aria-rowcount="10001"');
    const rendered = [...html.matchAll(/role="row" aria-rowindex="(\d+)"/g)].length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(40);
    expect(html).toContain('role="columnheader" class="num">n<');
    expect(html).toContain('role="cell" class="num">5<');
  });
});

describe('Histogram', () => {
  it('draws a bar per bin, each titled with its label and count', () => {
    const html = render(
      <Histogram
        label="Histogram of region"
        bins={[
          { label: 'East', count: 3 },
          { label: 'West', count: 0 },
        ]}
      />,
    );
    expect(html).toContain('role="img" aria-label="Histogram of region"');
    expect([...html.matchAll(/<rect /g)]).toHaveLength(2);
    expect(html).toContain('<title>East: 3</title>');
  });
});

describe('errors in words', () => {
  it('say the kind of problem and where it is, in the reader’s language, and the server’s message once', () => {
    const error = {
      code: 'BAD_USER_INPUT',
      message: 'line 1202, column "amount": invalid input syntax for type double precision: "n/a"',
      details: { line: 1202, column: 'amount' },
    };
    const zh = describeError(error, (key, params) => translate('zh', key, params));
    expect(zh).toEqual({
      summary: '请求未被接受。',
      where: '第 1202 行, 列“amount”',
      message: 'invalid input syntax for type double precision: "n/a"',
    });
    const limited = describeError(
      {
        code: 'RATE_LIMITED',
        message: 'Too many operations',
        details: { limit: 'RATE_LIMIT_OPERATIONS_PER_MINUTE', retryAfterSeconds: 12 },
      },
      (key, params) => translate('en', key, params),
    );
    expect(limited.where).toBe('limit RATE_LIMIT_OPERATIONS_PER_MINUTE, try again in 12 s');
    expect(describeError({ code: 'SOMETHING_NEW', message: 'x', details: {} }, (k) => translate('en', k)).summary).toBe(
      'Something went wrong on the server.',
    );
  });
});
