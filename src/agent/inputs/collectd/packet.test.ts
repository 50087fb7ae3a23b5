// Packets built here the way collectd's network plugin writes them (src/network.c): string parts
// null-terminated, values as (count, kinds, 8-byte values), signature and encryption wrappers.
import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parsePayload } from './packet.ts';
import { openPacket, parseAuthFile } from './security.ts';
import { dataSourceName, parseTypesDb } from './types-db.ts';

const part = (type: number, body: Buffer): Buffer => {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(body.length + 4, 2);
  return Buffer.concat([h, body]);
};
const str = (type: number, s: string) => part(type, Buffer.from(`${s}\0`));
const u64 = (type: number, n: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(n); return part(type, b); };
function values(vs: [kind: number, v: number][]): Buffer {
  const b = Buffer.alloc(2 + vs.length * 9);
  b.writeUInt16BE(vs.length, 0);
  vs.forEach(([k, v], i) => {
    b[2 + i] = k;
    const at = 2 + vs.length + i * 8;
    if (k === 1) b.writeDoubleLE(v, at);
    else if (k === 2) b.writeBigInt64BE(BigInt(v), at);
    else b.writeBigUInt64BE(BigInt(v), at);
  });
  return part(6, b);
}

const PAYLOAD = Buffer.concat([
  str(0, 'web-1'), u64(8, 1_700_000_000n * 2n ** 30n), str(2, 'load'), str(4, 'load'), values([[1, 0.5], [1, 0.25], [1, 0.125]]),
  str(2, 'interface'), str(3, 'eth0'), str(4, 'if_octets'), values([[2, 1000], [2, -1]]),
  str(2, 'memory'), str(3, ''), str(4, 'memory'), str(5, 'used'), values([[1, 123456789]]),
]);

const sign = (payload: Buffer, user: string, password: string): Buffer => {
  const mac = createHmac('sha256', password).update(Buffer.concat([Buffer.from(user), payload])).digest();
  return Buffer.concat([part(0x0200, Buffer.concat([mac, Buffer.from(user)])), payload]);
};
const encrypt = (payload: Buffer, user: string, password: string): Buffer => {
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-ofb', createHash('sha256').update(password).digest(), iv);
  const sealed = Buffer.concat([c.update(Buffer.concat([createHash('sha1').update(payload).digest(), payload])), c.final()]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(user.length);
  return part(0x0210, Buffer.concat([len, Buffer.from(user), iv, sealed]));
};

test('value lists: context parts carry over, high-resolution time, gauge / derive values', () => {
  const lists = parsePayload(PAYLOAD);
  assert.deepEqual(lists.map((l) => [l.host, l.plugin, l.pluginInstance, l.type, l.typeInstance, l.values]), [
    ['web-1', 'load', '', 'load', '', [0.5, 0.25, 0.125]],
    ['web-1', 'interface', 'eth0', 'if_octets', '', [1000, -1]],
    ['web-1', 'memory', '', 'memory', 'used', [123456789]],
  ]);
  assert.equal(lists[0]!.time, 1_700_000_000_000);
  assert.throws(() => parsePayload(PAYLOAD.subarray(0, PAYLOAD.length - 3)), /runs past the packet/);
});

test('security levels: encrypt takes only encrypted packets, sign signed or encrypted, none all; wrong keys refused', () => {
  const users = parseAuthFile('# users\nosprey: s3cret\nother:pw\n');
  assert.equal(users.get('osprey'), 's3cret');
  const enc = openPacket(encrypt(PAYLOAD, 'osprey', 's3cret'), 'encrypt', users);
  assert.ok('payload' in enc && enc.payload.equals(PAYLOAD));
  assert.match((openPacket(PAYLOAD, 'encrypt', users) as { refused: string }).refused, /plain packet where collectd_security_level is encrypt/);
  assert.match((openPacket(sign(PAYLOAD, 'osprey', 's3cret'), 'encrypt', users) as { refused: string }).refused, /signed packet/);
  assert.ok('payload' in openPacket(sign(PAYLOAD, 'osprey', 's3cret'), 'sign', users));
  assert.match((openPacket(sign(PAYLOAD, 'osprey', 'wrong'), 'sign', users) as { refused: string }).refused, /bad signature/);
  assert.match((openPacket(encrypt(PAYLOAD, 'osprey', 'wrong'), 'none', users) as { refused: string }).refused, /could not decrypt/);
  assert.match((openPacket(encrypt(PAYLOAD, 'nobody', 'x'), 'none', users) as { refused: string }).refused, /unknown user nobody/);
  assert.ok('payload' in openPacket(PAYLOAD, 'none', users));
  assert.ok('payload' in openPacket(sign(PAYLOAD, 'nobody', 'x'), 'none', users), 'an unverifiable signature is passed over at level none');
});

test('types.db names the data sources; without an entry: value, or 0, 1, …', () => {
  const db = parseTypesDb('load  shortterm:GAUGE:0:5000, midterm:GAUGE:0:5000, longterm:GAUGE:0:5000\n# c\nmemory value:GAUGE:0:U\n');
  assert.equal(dataSourceName(db, 'load', 2, 3), 'longterm');
  assert.equal(dataSourceName(db, 'memory', 0, 1), 'value');
  assert.equal(dataSourceName(db, 'if_octets', 1, 2), '1');
  assert.equal(dataSourceName(db, 'gauge', 0, 1), 'value');
});
