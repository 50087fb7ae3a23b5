import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inRange, ipBytes, parseCidr } from './cidr.ts';
import { InvalidEventPattern } from './errors.ts';

const within = (cidr: string, ip: string): boolean => inRange(parseCidr(cidr), ipBytes(ip) ?? new Uint8Array());

test('blocks are floored to the network and cover both families', () => {
  assert.equal(within('220.160.153.171/31', '220.160.153.170'), true);
  assert.equal(within('220.160.153.171/31', '220.160.153.172'), false);
  assert.equal(within('2400:6500:FF00::36FB:1F80/122', '2400:6500:ff00::36fb:1fbf'), true);
  assert.equal(within('2400:6500:FF00::36FB:1F80/122', '2400:6500:ff00::36fb:1fc0'), false);
  assert.equal(within('0.0.0.0/0', '255.255.255.255'), true);
  assert.equal(within('::/0', '1.2.3.4'), false);
});

test('addresses are read only in their standard forms', () => {
  assert.deepEqual(ipBytes('10.0.0.1'), Uint8Array.from([10, 0, 0, 1]));
  assert.equal(ipBytes('10.0.0.256'), undefined);
  assert.equal(ipBytes('1:2:3:4:5:6:7:8:9'), undefined);
  assert.equal(ipBytes('1::2::3'), undefined);
  assert.equal(ipBytes('example.com'), undefined);
});

test("bad blocks get event-ruler's messages", () => {
  for (const [c, m] of [
    ['10.0.0.0', "Malformed CIDR, one '/' required"],
    ['10.0.0.0/x', 'Malformed CIDR, mask bits must be an integer'],
    ['10.0.0.0/-1', 'Malformed CIDR, mask bits must not be negative'],
    ['10.0.0.0/32', 'IPv4 mask bits must be < 32'],
    ['::/128', 'IPv6 mask bits must be < 128'],
    ['host/8', 'Nonstandard IP address: host'],
    ['10.0.0.300/8', 'Invalid IP address: 10.0.0.300'],
  ]) {
    assert.throws(() => parseCidr(c), (e: unknown) => e instanceof InvalidEventPattern && e.message === `Event pattern is not valid. Reason: ${m}`);
  }
});
