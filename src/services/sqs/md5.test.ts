import { test } from 'node:test';
import assert from 'node:assert/strict';
import { md5Hex, md5OfAttributes } from './md5.ts';

test('MD5OfMessageBody is the hex MD5 of the UTF-8 body', () => {
  assert.equal(md5Hex('hello'), '5d41402abc4b2a76b9719d911017c592');
  assert.equal(md5Hex('héllo ✓'), '21b1ae5bc147bb564254200a4731e337');
});

test('MD5OfMessageAttributes matches the value botocore computes for the same attributes', () => {
  // Reference computed by an independent Python implementation of the documented algorithm:
  //   {'b': Binary b'\x00\x01', 'a': String 'x', 'n': Number '1.5'}
  const md5 = md5OfAttributes({
    b: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1]) },
    a: { DataType: 'String', StringValue: 'x' },
    n: { DataType: 'Number', StringValue: '1.5' },
  });
  assert.equal(md5, BOTOCORE_REFERENCE);
});

test('no attributes: no MD5', () => {
  assert.equal(md5OfAttributes(undefined), undefined);
  assert.equal(md5OfAttributes({}), undefined);
});

const BOTOCORE_REFERENCE = 'cbc79f4de71145a0d6a9f6f198f80104';
