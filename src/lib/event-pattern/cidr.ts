/**
 * IP addresses and CIDR blocks, checked with event-ruler's rules and messages: a string is only read
 * as an address when it looks like one (dotted digits, or hex with a colon), IPv4 masks go up to 31
 * and IPv6 masks up to 127, and a host address in a block is floored to the network.
 */
import { invalid } from './errors.ts';

const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export interface IpRange { lo: Uint8Array; hi: Uint8Array }

export const looksLikeIp = (s: string): boolean => IPV4.test(s) || IPV6.test(s);

/** Address bytes (4 or 16), or undefined when the text is not a standard address. */
export function ipBytes(s: string): Uint8Array | undefined {
  if (IPV4.test(s)) return v4(s);
  if (IPV6.test(s)) return v6(s);
  return undefined;
}

function v4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (parts[i].length > 3) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function v6(s: string): Uint8Array | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] | undefined => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const all = [...head, ...Array<string>(8 - total).fill('0'), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(all[i])) return undefined;
    const n = parseInt(all[i], 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  }
  return out;
}

/** Parses a `cidr` operand; throws InvalidEventPattern with event-ruler's message. */
export function parseCidr(text: string): IpRange {
  const slashed = text.split('/');
  // Java's String.split drops trailing empty strings, so "1.2.3.4/" has no mask part.
  while (slashed.length > 0 && slashed[slashed.length - 1] === '') slashed.pop();
  if (slashed.length !== 2) invalid("Malformed CIDR, one '/' required");
  if (!/^[+-]?[0-9]+$/.test(slashed[1]) || Math.abs(Number(slashed[1])) > 2147483647) invalid('Malformed CIDR, mask bits must be an integer');
  const mask = Number(slashed[1]);
  if (mask < 0) invalid('Malformed CIDR, mask bits must not be negative');
  const looks = looksLikeIp(slashed[0]);
  const ip = looks ? ipBytes(slashed[0]) : undefined;
  if (!ip) invalid(looks ? `Invalid IP address: ${slashed[0]}` : `Nonstandard IP address: ${slashed[0]}`);
  if (ip.length === 4 && mask > 31) invalid('IPv4 mask bits must be < 32');
  if (ip.length === 16 && mask > 127) invalid('IPv6 mask bits must be < 128');
  const lo = new Uint8Array(ip.length);
  const hi = new Uint8Array(ip.length);
  for (let i = 0; i < ip.length; i++) {
    const fixed = Math.max(0, Math.min(8, mask - 8 * i));
    const keep = (0xff << (8 - fixed)) & 0xff;
    lo[i] = ip[i] & keep;
    hi[i] = ip[i] | (~keep & 0xff);
  }
  return { lo, hi };
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Whether an address falls in the range; addresses of the other family never do. */
export function inRange(r: IpRange, ip: Uint8Array): boolean {
  return ip.length === r.lo.length && compare(r.lo, ip) <= 0 && compare(ip, r.hi) <= 0;
}
