import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyStore } from './key-store.ts';

const ARN = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';

test('messages round-trip and the ciphertext does not contain the plaintext', () => {
  const ks = KeyStore.fromMaster(Buffer.alloc(32, 7));
  const msg = 'secret ERROR ü \u0000 line';
  const sealed = ks.seal(ARN, msg);
  assert.ok(!sealed.includes('secret'));
  assert.equal(ks.open(ARN, sealed), msg);
  assert.notEqual(ks.seal(ARN, msg), sealed, 'a fresh nonce per message');
});

test('a ciphertext does not open under another key ARN or if tampered with', () => {
  const ks = KeyStore.fromMaster(Buffer.alloc(32, 7));
  const sealed = ks.seal(ARN, 'x');
  assert.throws(() => ks.open(ARN.replace('1234abcd', '9999abcd'), sealed));
  const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.throws(() => ks.open(ARN, tampered));
});

test('the master key is created once, private, and reused across opens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-keys-'));
  const a = KeyStore.open(dir);
  const sealed = a.seal(ARN, 'persisted');
  const file = join(dir, 'keys', 'master.key');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const before = readFileSync(file, 'utf8');
  const b = KeyStore.open(dir);
  assert.equal(readFileSync(file, 'utf8'), before);
  assert.equal(b.open(ARN, sealed), 'persisted');
});
