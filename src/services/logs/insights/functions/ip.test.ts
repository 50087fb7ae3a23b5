import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileError, evaluator } from './test-support.ts';

const { value } = evaluator();
const ip = (a: string) => JSON.stringify({ ip: a });

test('isValidIp, isValidIpV4 and isValidIpV6', async () => {
  assert.equal(await value('isValidIp(ip)', ip('10.0.0.1')), '1');
  assert.equal(await value('isValidIp(ip)', ip('2001:db8::1')), '1');
  assert.equal(await value('isValidIpV4(ip)', ip('2001:db8::1')), '0');
  assert.equal(await value('isValidIpV6(ip)', ip('2001:db8::1')), '1');
  assert.equal(await value('isValidIp(ip)', ip('10.0.0.256')), '0');
  assert.equal(await value('isValidIp(missing)'), '0');
});

test('subnet membership, per family', async () => {
  assert.equal(await value('isIpInSubnet(ip, "10.0.0.0/8")', ip('10.1.2.3')), '1');
  assert.equal(await value('isIpInSubnet(ip, "10.0.0.0/8")', ip('11.1.2.3')), '0');
  assert.equal(await value('isIpv4InSubnet(ip, "192.0.2.0/24")', ip('192.0.2.7')), '1');
  assert.equal(await value('isIpv6InSubnet(ip, "2001:db8::/32")', ip('2001:db8::1')), '1');
  assert.equal(await value('isIpInSubnet(ip, "fe80::/10")', ip('10.1.2.3')), '0');
  assert.equal(await value('isIpInSubnet(ip, "10.0.0.0/8")', ip('not an address')), '0');
});

test('the subnet is a CIDR "string" literal of the right family, checked when compiling', () => {
  assert.match(compileError('isIpInSubnet(ip, "10.0.0.0")'), /"10.0.0.0" is not an IPv4 or IPv6 subnet in CIDR notation/);
  assert.match(compileError('isIpv4InSubnet(ip, "fe80::/10")'), /is not an IPv4 subnet/);
  assert.match(compileError('isIpv6InSubnet(ip, "10.0.0.0/8")'), /is not an IPv6 subnet/);
  assert.match(compileError('isIpInSubnet(ip, other)'), /needs the subnet in CIDR notation as a "string" literal/);
});

test('ipv4ToNumber', async () => {
  assert.equal(await value('ipv4ToNumber(ip)', ip('10.0.0.1')), '167772161');
  assert.equal(await value('ipv4ToNumber(ip)', ip('::1')), null);
});

test('private, reserved and public addresses', async () => {
  assert.equal(await value('isPrivateIP(ip)', ip('192.168.1.20')), '1');
  assert.equal(await value('isPrivateIP(ip)', ip('8.8.8.8')), '0');
  assert.equal(await value('isReservedIP(ip)', ip('100.64.0.1')), '1');
  assert.equal(await value('isReservedIP(ip)', ip('fe80::1')), '1');
  assert.equal(await value('isPublicIP(ip)', ip('8.8.8.8')), '1');
  assert.equal(await value('isPublicIP(ip)', ip('2606:4700::1111')), '1');
  assert.equal(await value('isPublicIP(ip)', ip('10.1.2.3')), '0');
  assert.equal(await value('isPublicIP(ip)', ip('nope')), '0');
});
