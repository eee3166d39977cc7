// The outbound network policy: which addresses count as private, that names are checked on the
// answer actually used, and that secrets never survive in a stored URL.
import type dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { checkedLookup, guardedAgent, isPrivateAddress, PrivateAddressRefused, redactSecrets, resolveChecked } from './network.js';

describe('isPrivateAddress', () => {
  it('refuses private, loopback, link-local, CGNAT, multicast, unspecified and reserved addresses', () => {
    const refused = [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.254',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '::',
      '::1',
      'fd00::1',
      'fe80::1',
      'fe80::1%eth0',
      'ff02::1',
      '::127.0.0.1',
    ];
    for (const a of refused) expect(isPrivateAddress(a), a).toBe(true);
  });

  it('sees through IPv6 forms that carry an IPv4 address', () => {
    for (const a of [
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::FFFF:A9FE:A9FE',
      '::ffff:0:127.0.0.1',
      '::ffff:0:a9fe:a9fe',
      '64:ff9b::10.0.0.1',
      '2002:0a00:0001::1',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['::ffff:8.8.8.8', '::ffff:0:8.8.8.8', '64:ff9b::808:808', '2002:0808:0808::1'])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it('lets public addresses through and counts anything else as private', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '100.128.0.1', '2001:4860:4860::8888']) expect(isPrivateAddress(a), a).toBe(false);
    for (const a of ['', 'localhost', 'example.com', '127.1', '999.1.1.1']) expect(isPrivateAddress(a), a).toBe(true);
  });
});

describe('resolveChecked and checkedLookup', () => {
  it('refuse a name that resolves to a private address, without naming the address', async () => {
    const err = await resolveChecked('localhost', { allowPrivate: false }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(PrivateAddressRefused);
    expect((err as Error).message).toBe('localhost is a private address');
    expect((err as Error).message).not.toMatch(/127\.0\.0\.1|::1/);
    await expect(resolveChecked('[::ffff:127.0.0.1]', { allowPrivate: false })).rejects.toBeInstanceOf(PrivateAddressRefused);
  });

  it('return the checked addresses when allowed', async () => {
    expect(await resolveChecked('127.0.0.1', { allowPrivate: true })).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(await resolveChecked('8.8.8.8', { allowPrivate: false })).toEqual([{ address: '8.8.8.8', family: 4 }]);
  });

  it('check the lookup answer a socket connects to', async () => {
    const lookup = checkedLookup({ allowPrivate: false });
    const err = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    expect(err).toBeInstanceOf(PrivateAddressRefused);
    const open = checkedLookup({ allowPrivate: true });
    const answer = await new Promise<unknown>((resolve) =>
      open('localhost', { all: true }, (_e, addresses: dns.LookupAddress[]) => resolve(addresses)),
    );
    expect((answer as dns.LookupAddress[]).length).toBeGreaterThan(0);
  });

  it('guard every connection of an undici agent, IP literals included', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const strict = guardedAgent({ allowPrivate: false, timeoutMs: 2000 });
    const open = guardedAgent({ allowPrivate: true, timeoutMs: 2000 });
    try {
      for (const host of ['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]']) {
        const err = await request(`http://${host}:${port}/`, { dispatcher: strict }).catch((e: Error) => e);
        const cause = (err as Error & { cause?: unknown }).cause ?? err;
        expect(err instanceof PrivateAddressRefused || cause instanceof PrivateAddressRefused, host).toBe(true);
      }
      const res = await request(`http://127.0.0.1:${port}/`, { dispatcher: open });
      expect(await res.body.text()).toBe('ok');
    } finally {
      await Promise.all([strict.close(), open.close()]);
      server.close();
    }
  });
});

describe('redactSecrets', () => {
  it('drops user info and fragments and masks secret-looking parameters', () => {
    expect(redactSecrets('https://u:p@api.example/x?api_key=k&page=2#access_token=t')).toBe('https://api.example/x?api_key=***&page=2');
    expect(redactSecrets('postgresql://reader:s3cret@db.example:5432/sales?sslmode=require')).toBe(
      'postgresql://db.example:5432/sales?sslmode=require',
    );
    const masked = redactSecrets(
      'https://a.example/p?token=1&Password=2&client_secret=3&X-Amz-Signature=4&sig=5&auth=6&credentials=7&accessKey=8&q=keep',
    );
    expect(masked).not.toMatch(/=[1-8](&|$)/);
    expect(masked).toMatch(/q=keep$/);
  });

  it('keeps a URL without secrets as it was, and never returns what it cannot parse', () => {
    expect(redactSecrets('https://api.example/items?page=2&sort=a%20b')).toBe('https://api.example/items?page=2&sort=a%20b');
    expect(redactSecrets('postgres://u:pw@[bad')).toBe('(not a URL)');
  });
});
