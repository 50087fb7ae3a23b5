/**
 * collectd's network security (its "Cryptographic setup"): a signed packet starts with part 0x0200
 * — HMAC-SHA-256 of the username and the rest of the packet, keyed by the user's password; an
 * encrypted one is part 0x0210 — username, a 16-byte IV, then AES-256-OFB (key SHA-256 of the
 * password) over a SHA-1 of the payload and the payload. Passwords come from the auth file
 * (`user: password` lines, collectd's own format).
 */
import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type SecurityLevel = 'none' | 'sign' | 'encrypt';

export const PART_SIGNATURE = 0x0200;
export const PART_ENCRYPTION = 0x0210;

export function parseAuthFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([^:#\s][^:]*?)\s*:\s*(.*?)\s*$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

export function readAuthFile(file: string | undefined): Map<string, string> {
  if (file === undefined) return new Map();
  try {
    return parseAuthFile(readFileSync(file, 'utf8'));
  } catch {
    return new Map();
  }
}

/** Why a packet was refused, or its payload (the parts it carries, checked and decrypted). */
export type Opened = { payload: Buffer; level: SecurityLevel } | { refused: string };

/** A signature part (type, length, 32-byte HMAC, username) over what follows it. */
function verify(packet: Buffer, length: number, users: ReadonlyMap<string, string>, required: SecurityLevel): Opened {
  const mac = packet.subarray(4, 36);
  const user = packet.subarray(36, length).toString('utf8');
  const password = users.get(user);
  const rest = packet.subarray(length);
  // At level none a signature that cannot be checked is passed over, as collectd's server does.
  if (password === undefined) return required === 'none' ? { payload: rest, level: 'none' } : { refused: `signed by unknown user ${user}` };
  const expected = createHmac('sha256', password).update(Buffer.concat([Buffer.from(user, 'utf8'), rest])).digest();
  if (mac.length !== 32 || !timingSafeEqual(mac, expected)) return { refused: `bad signature from ${user}` };
  return { payload: rest, level: 'sign' };
}

function decrypt(packet: Buffer, length: number, users: ReadonlyMap<string, string>): Opened {
  const userLength = packet.readUInt16BE(4);
  const user = packet.subarray(6, 6 + userLength).toString('utf8');
  const password = users.get(user);
  if (password === undefined) return { refused: `encrypted for unknown user ${user}` };
  const ivAt = 6 + userLength;
  const iv = packet.subarray(ivAt, ivAt + 16);
  const key = createHash('sha256').update(password).digest();
  const decipher = createDecipheriv('aes-256-ofb', key, iv);
  const plain = Buffer.concat([decipher.update(packet.subarray(ivAt + 16, length)), decipher.final()]);
  const payload = plain.subarray(20);
  if (!createHash('sha1').update(payload).digest().equals(plain.subarray(0, 20))) return { refused: `could not decrypt (wrong password for ${user}?)` };
  return { payload, level: 'encrypt' };
}

const RANK: Record<SecurityLevel, number> = { none: 0, sign: 1, encrypt: 2 };

/** Checks a packet's security part, if any, against the required level. */
export function openPacket(packet: Buffer, required: SecurityLevel, users: ReadonlyMap<string, string>): Opened {
  let opened: Opened = { payload: packet, level: 'none' };
  if (packet.length >= 4) {
    const type = packet.readUInt16BE(0);
    const length = packet.readUInt16BE(2);
    if (length < 4 || length > packet.length) return { refused: 'truncated packet' };
    if (type === PART_SIGNATURE && length >= 36) opened = verify(packet, length, users, required);
    else if (type === PART_ENCRYPTION && length >= 42) opened = decrypt(packet, length, users);
  }
  if ('refused' in opened) return opened;
  if (RANK[opened.level] < RANK[required]) return { refused: `a ${opened.level === 'none' ? 'plain' : 'signed'} packet where collectd_security_level is ${required}` };
  return opened;
}
