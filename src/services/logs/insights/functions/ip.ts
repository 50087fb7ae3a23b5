/**
 * IP address functions: isvalidip, isvalidipv4, isvalidipv6, isipinsubnet, isipv4insubnet,
 * isipv6insubnet, ipv4tonumber, isprivateip, isreservedip, ispublicip.
 *
 * - The subnet is a "string" literal in CIDR notation, checked when the query compiles (an IPv4
 *   one for isipv4insubnet, an IPv6 one for isipv6insubnet).
 * - Private: the RFC 1918 IPv4 ranges. Reserved: the IANA special-purpose registries (RFC 6890
 *   and updates), IPv4 and IPv6. Public: a valid address that is not reserved.
 * - Anything that is not an address (a missing value included) gives 0.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { SqlContext } from '../context.ts';
import { ofBool, ofNum, type Val } from '../values.ts';
import type { FnContext, FunctionTable } from './types.ts';

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** IANA special-purpose registries (RFC 6890 and updates). */
const RESERVED_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.0.2.0/24', '192.31.196.0/24', '192.52.193.0/24', '192.88.99.0/24', '192.168.0.0/16', '192.175.48.0/24',
  '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4', '255.255.255.255/32',
];
const RESERVED_V6 = [
  '::/128', '::1/128', '::ffff:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48', '100::/64', '2001::/23', '2001:db8::/32',
  '2002::/16', 'fc00::/7', 'fe80::/10', 'ff00::/8',
];

type Family = 4 | 6 | 'any';

export const IP: FunctionTable = {
  isvalidip: (f) => {
    const s = f.text(0);
    return ofBool(`coalesce(isIPv4String(${s}) OR isIPv6String(${s}), 0)`);
  },
  isvalidipv4: (f) => ofBool(`coalesce(isIPv4String(${f.text(0)}), 0)`),
  isvalidipv6: (f) => ofBool(`coalesce(isIPv6String(${f.text(0)}), 0)`),
  isipinsubnet: (f) => inSubnet(f, 'any'),
  isipv4insubnet: (f) => inSubnet(f, 4),
  isipv6insubnet: (f) => inSubnet(f, 6),
  ipv4tonumber: (f) => ofNum(`IPv4StringToNumOrNull(${f.text(0)})`),
  isprivateip: (f) => {
    const s = f.text(0);
    const v4 = `isIPv4String(${s})`;
    return ofBool(`coalesce(${v4} AND ${ipIn(f.cx, s, v4, PRIVATE_V4, '0.0.0.0')}, 0)`);
  },
  isreservedip: (f) => ofBool(`coalesce(${reserved(f).reserved}, 0)`),
  ispublicip: (f) => {
    const r = reserved(f);
    return ofBool(`coalesce((${r.v4} OR ${r.v6}) AND NOT ${r.reserved}, 0)`);
  },
};

function inSubnet(f: FnContext, family: Family): Val {
  const { call } = f;
  const cidr = f.literalString(1, 'the subnet in CIDR notation');
  if (!validCidr(cidr, family)) {
    const kind = family === 'any' ? 'n IPv4 or IPv6' : family === 4 ? 'n IPv4' : 'n IPv6';
    f.cx.fail(`${call.rawName}(): ${JSON.stringify(cidr)} is not a${kind} subnet in CIDR notation`, call.args[1]!);
  }
  const s = f.text(0);
  const v4 = cidr.includes(':') ? '0' : `isIPv4String(${s})`;
  const v6 = cidr.includes(':') ? `isIPv6String(${s})` : '0';
  const valid = family === 4 ? `isIPv4String(${s})` : family === 6 ? `isIPv6String(${s})` : `(${v4} OR ${v6})`;
  const ph = cidr.includes(':') ? '::' : '0.0.0.0';
  return ofBool(`coalesce(${valid} AND ${ipIn(f.cx, s, valid, [cidr], ph)}, 0)`);
}

/** Whether the argument is in a reserved range, with its validity tests. */
function reserved(f: FnContext): { v4: string; v6: string; reserved: string } {
  const s = f.text(0);
  const v4 = `isIPv4String(${s})`;
  const v6 = `isIPv6String(${s})`;
  const v4In = ipIn(f.cx, s, v4, RESERVED_V4, '0.0.0.0');
  const v6In = ipIn(f.cx, s, v6, RESERVED_V6, '::');
  return { v4, v6, reserved: `((${v4} AND ${v4In}) OR (${v6} AND ${v6In}))` };
}

function validCidr(cidr: string, family: Family): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return false;
  const bits = Number(m[2]);
  if (isIPv4(m[1]!)) return family !== 6 && bits <= 32;
  if (isIPv6(m[1]!)) return family !== 4 && bits <= 128;
  return false;
}

/**
 * `t` in any of `cidrs`. isIPAddressInRange throws on text that is not an address, so an invalid
 * one is swapped for a placeholder of the right family; `valid` is ANDed in by the caller.
 */
function ipIn(cx: SqlContext, t: string, valid: string, cidrs: string[], placeholder: string): string {
  const addr = `if(${valid}, ${t}, '${placeholder}')`;
  return `(${cidrs.map((c) => `isIPAddressInRange(${addr}, ${cx.str(c)})`).join(' OR ')})`;
}
