import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { KeyStore } from '../../../store/keys/key-store.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';
import { SigningKeys, signHex, verifyHex } from './keys.ts';
import { DIGEST_MIGRATIONS } from './schema.ts';

for (const engine of await metaEngines()) describe(`digest signing keys on ${engine.name}`, () => {
  test('the private signing key is stored sealed, opens only with the master key, and still signs', async (t) => {
    const db = await engine.open({ name: 'cloudtrail-digest', migrations: DIGEST_MIGRATIONS });
    t.after(() => db.close());
    const master = randomBytes(32);
    const key = await new SigningKeys(db, () => 0, KeyStore.fromMaster(master)).current('000000000000', 'us-east-1');
    const stored = (await db.get<{ private_pem: string }>('SELECT private_pem FROM cloudtrail_digest_keys'))!.private_pem;
    assert.match(stored, /^v1:/);
    assert.doesNotMatch(stored, /PRIVATE KEY/);

    // A fresh process with the same data directory (same master key) signs with the same key.
    const other = await engine.reopen(db);
    t.after(() => other.close());
    const reopened = await new SigningKeys(other, () => 0, KeyStore.fromMaster(master)).current('000000000000', 'us-east-1');
    assert.equal(reopened.fingerprint, key.fingerprint);
    assert.ok(verifyHex(key.der, 'digest', signHex(reopened.privateKey, 'digest')));
    const [pub] = await new SigningKeys(other, () => 0, KeyStore.fromMaster(master)).publicKeys('000000000000', 'us-east-1', 0);
    assert.equal(pub!.fingerprint, key.fingerprint);
    assert.ok(Buffer.from(pub!.der).equals(key.der), 'the public key comes back as the same bytes');
    // Without the master key (a copied meta.sqlite) the key does not open.
    await assert.rejects(new SigningKeys(db, () => 0, KeyStore.fromMaster(randomBytes(32))).current('000000000000', 'us-east-1'));
  });
});
