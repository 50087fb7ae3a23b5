import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { KeyStore } from '../../../store/keys/key-store.ts';
import { migrateModule } from '../../../store/meta/sqlite.ts';
import { SigningKeys, signHex, verifyHex } from './keys.ts';
import { DIGEST_MIGRATIONS } from './schema.ts';

test('the private signing key is stored sealed, opens only with the master key, and still signs', async () => {
  const db = new Database(':memory:');
  migrateModule(db, 'cloudtrail-digest', DIGEST_MIGRATIONS);
  const master = randomBytes(32);
  const key = await new SigningKeys(db, () => 0, KeyStore.fromMaster(master)).current('000000000000', 'us-east-1');
  const stored = db.prepare('SELECT private_pem FROM cloudtrail_digest_keys').pluck().get() as string;
  assert.match(stored, /^v1:/);
  assert.doesNotMatch(stored, /PRIVATE KEY/);

  // A fresh process with the same data directory (same master key) signs with the same key.
  const reopened = await new SigningKeys(db, () => 0, KeyStore.fromMaster(master)).current('000000000000', 'us-east-1');
  assert.equal(reopened.fingerprint, key.fingerprint);
  assert.ok(verifyHex(key.der, 'digest', signHex(reopened.privateKey, 'digest')));
  // Without the master key (a copied meta.sqlite) the key does not open.
  await assert.rejects(new SigningKeys(db, () => 0, KeyStore.fromMaster(randomBytes(32))).current('000000000000', 'us-east-1'));
});
