import { describe, test } from 'node:test';
import { metaEngines } from '../../../store/meta/test-support.ts';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { BucketSink } from '../../../store/buckets/sinks.ts';
import { digestKeyPrefix, sha256Hex, signingString, type DigestFile } from './format.ts';
import { runDigestPass } from './pass.ts';
import { ACCOUNT, INTERVAL, T0, digestKit, logBody, trail } from './test-kit.ts';
import { checkDigest } from './verify.ts';

async function digests(sink: BucketSink, region = 'us-east-1') {
  const keys = await sink.list(digestKeyPrefix({ account: ACCOUNT, region }));
  return Promise.all(keys.map(async (key) => {
    const obj = (await sink.get(key))!;
    return { key, obj, json: JSON.parse(gunzipSync(obj.body).toString()) as DigestFile };
  }));
}

test('signing string is validate-logs\': end time, bucket/key, SHA-256 of the uncompressed digest, previous signature or null', () => {
  const inflated = Buffer.from('{"a":1}');
  assert.equal(
    signingString({ digestEndTime: '2015-08-17T15:01:31Z', digestS3Bucket: 'b', digestS3Object: 'AWSLogs/x.json.gz', previousDigestSignature: null }, inflated),
    `2015-08-17T15:01:31Z\nb/AWSLogs/x.json.gz\n${sha256Hex(inflated)}\nnull`,
  );
});

for (const engine of await metaEngines()) describe(`digest ledger on ${engine.name}`, () => {
  test('a digest lists each delivered log file once, with the SHA-256 of its uncompressed content, signed and chained', async (t0) => {
    const t = trail({ s3KeyPrefix: 'ct' });
    const k = await digestKit([t], engine);
    t0.after(() => k.db.close());
    try {
      const a = await k.deliver(t, 'us-east-1', 1);
      await k.deliver(t, 'us-east-1', 2);
      await runDigestPass(k.deps);
      const [first] = await digestsWithPrefix(k.sink, 'ct');
      assert.equal(first.key, `ct/AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2026/12/05/${ACCOUNT}_CloudTrail-Digest_us-east-1_audit_us-east-1_20261205T070000Z.json.gz`);
      assert.equal(first.obj.metadata['signature-algorithm'], 'SHA256withRSA');
      assert.equal(first.json.previousDigestSignature, null);
      assert.equal(first.json.previousDigestS3Object, null);
      assert.equal(first.json.digestEndTime, '2026-12-05T07:00:00Z');
      assert.equal(first.json.digestStartTime, '2026-12-05T06:00:00Z');
      assert.deepEqual(first.json.logFiles.map((f) => [f.s3Object, f.hashAlgorithm]), [[a, 'SHA-256'], [a.replace('file1', 'file2'), 'SHA-256']]);
      assert.equal(first.json.logFiles[0].hashValue, sha256Hex(gunzipSync(logBody('Call1'))));
      const keys = new Map([[(await k.keys.current(ACCOUNT, 'us-east-1')).fingerprint, (await k.keys.current(ACCOUNT, 'us-east-1')).der]]);
      assert.equal(checkDigest('trail-bucket', first.key, first.obj, keys, 'us-east-1').ok, true);
      assert.equal(k.status.get(t.arn)?.latestDigestDeliveryTime, T0);

      k.clock.advance(INTERVAL);
      await k.deliver(t, 'us-east-1', 3);
      await runDigestPass(k.deps);
      const [, second] = await digestsWithPrefix(k.sink, 'ct');
      assert.deepEqual(second.json.logFiles.map((f) => f.s3Object), [a.replace('file1', 'file3')]);
      assert.equal(second.json.digestStartTime, first.json.digestEndTime);
      assert.equal(second.json.previousDigestS3Bucket, 'trail-bucket');
      assert.equal(second.json.previousDigestS3Object, first.key);
      assert.equal(second.json.previousDigestHashValue, sha256Hex(gunzipSync(first.obj.body)));
      assert.equal(second.json.previousDigestSignature, first.obj.metadata.signature);
      assert.equal(checkDigest('trail-bucket', second.key, second.obj, keys, 'us-east-1').ok, true);

      // Logging: a digest every interval even with nothing delivered; stopped: none.
      k.clock.advance(INTERVAL);
      await runDigestPass(k.deps);
      assert.equal((await digestsWithPrefix(k.sink, 'ct')).at(-1)!.json.logFiles.length, 0);
      t.logging = false;
      k.clock.advance(INTERVAL);
      await runDigestPass(k.deps);
      assert.equal((await digestsWithPrefix(k.sink, 'ct')).length, 3);
    } finally {
      rmSync(k.dir, { recursive: true, force: true });
    }
  });

  async function digestsWithPrefix(sink: BucketSink, prefix: string) {
    const keys = await sink.list(`${prefix}/AWSLogs/${ACCOUNT}/CloudTrail-Digest/`);
    return Promise.all(keys.map(async (key) => {
      const obj = (await sink.get(key))!;
      return { key, obj, json: JSON.parse(gunzipSync(obj.body).toString()) as DigestFile };
    }));
  }

  test('a digest whose write failed is written again unchanged, and its files are never listed twice', async (t0) => {
    const t = trail();
    const k = await digestKit([t], engine);
    t0.after(() => k.db.close());
    try {
      let fail = true;
      const real = k.sink;
      const flaky: BucketSink = {
        put: async (...args) => {
          if (fail) throw new Error('AccessDenied: bucket refused the write');
          return real.put(...args);
        },
        get: (key) => real.get(key), list: (p) => real.list(p), close: async () => {},
      };
      k.sinks.set('trail-bucket', flaky);
      await k.deliver(t, 'us-east-1', 1);
      await runDigestPass(k.deps);
      assert.equal(k.status.get(t.arn)?.latestDigestDeliveryError, 'AccessDenied: bucket refused the write');
      assert.equal((await digests(real)).length, 0);

      // The next pass (a second later) writes the recorded digest, then one more with nothing new.
      fail = false;
      await k.deliver(t, 'us-east-1', 2);
      k.clock.advance(1000);
      await runDigestPass(k.deps);
      const written = await digests(real);
      assert.equal(written.length, 2);
      assert.deepEqual(written.map((d) => d.json.logFiles.map((f) => f.s3Object.slice(-13))), [['file1.json.gz'], ['file2.json.gz']]);
      assert.equal(written[1].json.previousDigestS3Object, written[0].key);
      assert.equal(k.status.get(t.arn)?.latestDigestDeliveryError, undefined);
    } finally {
      rmSync(k.dir, { recursive: true, force: true });
    }
  });

  test('multi-region trails get one chain per region, each signed with that region\'s key', async (t0) => {
    const t = trail({ isMultiRegionTrail: true });
    const k = await digestKit([t], engine);
    t0.after(() => k.db.close());
    try {
      await k.deliver(t, 'us-east-1', 1);
      await k.deliver(t, 'eu-west-1', 2);
      await runDigestPass(k.deps);
      const [east] = await digests(k.sink, 'us-east-1');
      const [west] = await digests(k.sink, 'eu-west-1');
      assert.match(west.key, /CloudTrail-Digest\/eu-west-1\/.*_CloudTrail-Digest_eu-west-1_audit_us-east-1_/);
      assert.equal(west.json.logFiles.length, 1);
      assert.equal(east.json.logFiles.length, 1);
      assert.notEqual(east.json.digestPublicKeyFingerprint, west.json.digestPublicKeyFingerprint);
    } finally {
      rmSync(k.dir, { recursive: true, force: true });
    }
  });

  test('trails without log file validation get no digests; turning it off ends the chain', async (t0) => {
    const plain = trail({ name: 'plain', arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/plain`, logFileValidationEnabled: false });
    const t = trail();
    const k = await digestKit([plain, t], engine);
    t0.after(() => k.db.close());
    try {
      await k.deliver(plain, 'us-east-1', 1);
      assert.deepEqual(await k.ledger.regions(plain.arn), []);
      await runDigestPass(k.deps);
      assert.equal((await digests(k.sink)).filter((d) => d.key.includes('_plain_')).length, 0);
      assert.equal((await digests(k.sink)).length, 1);

      t.logFileValidationEnabled = false;
      k.clock.advance(INTERVAL);
      await runDigestPass(k.deps);
      t.logFileValidationEnabled = true;
      k.clock.advance(INTERVAL);
      await runDigestPass(k.deps);
      const all = await digests(k.sink);
      assert.equal(all.length, 2);
      assert.equal(all[1].json.previousDigestS3Object, null, 'a new chain starts');
    } finally {
      rmSync(k.dir, { recursive: true, force: true });
    }
  });
});
