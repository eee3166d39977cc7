// The network policy of every outbound connection a user can aim (dataset imports, later
// webhooks): addresses that are not on the public internet — private, loopback, link-local,
// CGNAT, multicast, unspecified, reserved, and IPv6 forms that carry one of those — are refused
// unless the operator allows private networks (IMPORT_ALLOW_PRIVATE_NETWORKS). The check is made
// on the address actually connected to: a hostname is resolved once, every address it resolves
// to is checked, and that checked address is the one used, so a DNS answer cannot change between
// the check and the connect (rebinding). Also here: stripping secrets from URLs before they are
// stored or shown.
import dns from 'node:dns';
import net from 'node:net';
import type { Agent, buildConnector } from 'undici';
import { lazyRequire } from './lazyRequire.js';

/** undici, loaded by the first outbound connection a user aims (most processes never make one). */
export const undici = lazyRequire<typeof import('undici')>('undici');

/** Whether the operator lets users reach private networks. */
export interface NetworkPolicy {
  /**
   * Allow private, loopback, link-local and other non-public addresses.
   * @default false (config `IMPORT_ALLOW_PRIVATE_NETWORKS`)
   */
  allowPrivate: boolean;
}

const BLOCKED_IPV4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 connects to the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const BLOCKED_IPV6: Array<[string, number]> = [
  ['::', 96], // unspecified, loopback, deprecated IPv4-compatible
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

const BLOCKED = new net.BlockList();
for (const [address, prefix] of BLOCKED_IPV4) BLOCKED.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of BLOCKED_IPV6) BLOCKED.addSubnet(address, prefix, 'ipv6');

/** The eight 16-bit words of a valid IPv6 address (zone id dropped, a trailing dotted quad folded in). */
function ipv6Words(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const first = head ? head.split(':') : [];
  const last = tail ? tail.split(':') : [];
  const gap = tail === undefined ? [] : Array<string>(8 - first.length - last.length).fill('0');
  return [...first, ...gap, ...last].map((word) => parseInt(word, 16));
}

const dottedQuad = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * The IPv4 address an IPv6 address stands for, if it embeds one that the network would route to:
 * IPv4-mapped (`::ffff:a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`, SIIT), NAT64
 * (`64:ff9b::a.b.c.d`) and 6to4 (`2002:aabb:ccdd::`).
 */
function embeddedIPv4(address: string): string | null {
  const w = ipv6Words(address);
  const zeros = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && w[5] === 0xffff) return dottedQuad(w[6]!, w[7]!);
  if (zeros(0, 4) && w[4] === 0xffff && w[5] === 0) return dottedQuad(w[6]!, w[7]!);
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return dottedQuad(w[6]!, w[7]!);
  if (w[0] === 0x2002) return dottedQuad(w[1]!, w[2]!);
  return null;
}

/**
 * True for addresses that are not on the public internet, including IPv6 forms that carry such
 * an IPv4 address. Anything that is not an IP address counts as private: a check must never pass
 * by accident.
 */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address.split('%')[0]!);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const ipv4 = embeddedIPv4(address);
  if (ipv4 !== null) return isPrivateAddress(ipv4);
  return BLOCKED.check(address.split('%')[0]!, 'ipv6');
}

/** An address (or hostname resolving to one) that the network policy refuses. */
export class PrivateAddressRefused extends Error {
  constructor(readonly host: string) {
    // The resolved address is left out: naming it would map internal DNS for the caller.
    super(`${host} is a private address`);
    this.name = 'PrivateAddressRefused';
  }
}

/** Throws `PrivateAddressRefused` when any of the addresses is refused by the policy. */
function checkAddresses(host: string, addresses: dns.LookupAddress[], { allowPrivate }: NetworkPolicy): void {
  if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) throw new PrivateAddressRefused(host);
}

/**
 * Resolves `host` (a name or an IP literal) to all its addresses and checks them against the
 * policy; connect to one of the returned addresses, never to the name again.
 * @throws PrivateAddressRefused, or the resolver's error (code `ENOTFOUND`, ...)
 */
export async function resolveChecked(host: string, policy: NetworkPolicy): Promise<dns.LookupAddress[]> {
  const literal = host.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(literal)
    ? [{ address: literal, family: net.isIP(literal) }]
    : await dns.promises.lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
  checkAddresses(host, addresses, policy);
  return addresses;
}

/**
 * A `dns.lookup` for `net.connect` and undici that refuses what the policy refuses: the check
 * runs on the very answer the socket then connects to.
 */
export function checkedLookup(policy: NetworkPolicy): typeof dns.lookup {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err);
      const list = addresses as dns.LookupAddress[];
      try {
        checkAddresses(hostname, list, policy);
      } catch (refused) {
        return callback(refused);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  }) as typeof dns.lookup;
}

/**
 * An undici dispatcher whose every connection obeys the policy: names through `checkedLookup`,
 * IP literals (which never reach a lookup) checked before connecting.
 */
export function guardedAgent({ allowPrivate, timeoutMs }: NetworkPolicy & { timeoutMs: number }): Agent {
  const { Agent, buildConnector } = undici();
  const connectChecked = buildConnector({ lookup: checkedLookup({ allowPrivate }), timeout: timeoutMs });
  const connect: buildConnector.connector = (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) return callback(new PrivateAddressRefused(host), null);
    connectChecked(options, callback);
  };
  return new Agent({ connect, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
}

/** Query parameter names that usually carry a credential (`api_key`, `token`, `X-Amz-Signature`, ...). */
const SECRET_PARAMETER = /pass|secret|token|key|auth|signature|sig|credential/i;

/**
 * The URL without what could be a credential, fit to store or show: no user info, no fragment
 * (OAuth puts tokens there), and `***` for the value of every secret-looking query parameter.
 * Something that is not a URL comes back as a placeholder, never as itself.
 * @example redactSecrets('https://u:p@api.example/x?api_key=k&page=2') // 'https://api.example/x?api_key=***&page=2'
 */
export function redactSecrets(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(not a URL)';
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  const secret = [...new Set(url.searchParams.keys())].filter((name) => SECRET_PARAMETER.test(name));
  for (const name of secret) url.searchParams.set(name, '***');
  return url.toString();
}
