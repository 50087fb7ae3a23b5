import assert from 'node:assert/strict';
import { test } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CERT_FILE, KEY_FILE, loadOrCreateSigningIdentity } from './keys.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-sns-keys-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'keys');
}

test('creates a key and a self-signed certificate that verifies, and loads the same ones again', (t) => {
  const dir = tempDir(t);
  const a = loadOrCreateSigningIdentity(dir);
  const cert = new X509Certificate(a.certificatePem);
  assert.ok(cert.verify(cert.publicKey), 'self-signed');
  assert.ok(cert.checkPrivateKey(a.privateKey));
  assert.ok(Date.parse(cert.validTo) > Date.now() + 10 * 365 * 24 * 3600 * 1000);
  assert.equal(statSync(join(dir, KEY_FILE)).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir).sort(), [CERT_FILE, KEY_FILE].sort(), 'no temp files left behind');
  const b = loadOrCreateSigningIdentity(dir);
  assert.equal(b.certificatePem, a.certificatePem);
  assert.equal(b.fingerprint, a.fingerprint);
});

test('a certificate lost or not matching the key (crash between the writes) is issued again for the same key', (t) => {
  const dir = tempDir(t);
  const a = loadOrCreateSigningIdentity(dir);
  unlinkSync(join(dir, CERT_FILE));
  const b = loadOrCreateSigningIdentity(dir);
  assert.ok(new X509Certificate(b.certificatePem).checkPrivateKey(a.privateKey));
  writeFileSync(join(dir, CERT_FILE), 'garbage');
  const c = loadOrCreateSigningIdentity(dir);
  assert.ok(new X509Certificate(c.certificatePem).checkPrivateKey(a.privateKey));
});
