import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { runDigestPass } from '../services/cloudtrail/digest/pass.ts';
import { ACCOUNT, INTERVAL, T0, digestKit, logBody, logFileKey, trail } from '../services/cloudtrail/digest/test-kit.ts';
import { walkDigests } from './digest-walk.ts';

/** Three digests an hour apart: files 1+2, 3, 4. */
async function chain() {
  const t = trail();
  const k = await digestKit([t]);
  await k.deliver(t, 'us-east-1', 1);
  await k.deliver(t, 'us-east-1', 2);
  await runDigestPass(k.deps);
  k.clock.advance(INTERVAL);
  await k.deliver(t, 'us-east-1', 3);
  await runDigestPass(k.deps);
  k.clock.advance(INTERVAL);
  await k.deliver(t, 'us-east-1', 4);
  await runDigestPass(k.deps);
  const key = await k.keys.current(ACCOUNT, 'us-east-1');
  const digestKeys = await k.sink.list(`AWSLogs/${ACCOUNT}/CloudTrail-Digest/`);
  const walk = async (keys = new Map([[key.fingerprint, key.der]])) => {
    const lines: string[] = [];
    await walkDigests({
      source: { get: async (_b, key) => k.sink.get(key), list: async (_b, p) => k.sink.list(p) },
      keys, bucket: 'trail-bucket', start: T0 - 2 * INTERVAL, end: T0 + 2 * INTERVAL,
      parts: { account: ACCOUNT, region: 'us-east-1', trailName: 'audit', homeRegion: 'us-east-1' },
    }, {
      digest: (_b, key, r) => lines.push(`digest ${key.slice(-24, -8)} ${'reason' in r ? r.reason : 'valid'}`),
      logFile: (_b, key, reason) => lines.push(`log ${key.slice(-13, -8)} ${reason ?? 'valid'}`),
      gap: () => lines.push('gap'),
    });
    return lines;
  };
  return { k, walk, digestKeys };
}

test('an untouched chain validates newest to oldest: every digest and log file', async () => {
  const { k, walk } = await chain();
  try {
    assert.deepEqual(await walk(), [
      'digest 20261205T090000Z valid', 'log file4 valid',
      'digest 20261205T080000Z valid', 'log file3 valid',
      'digest 20261205T070000Z valid', 'log file1 valid', 'log file2 valid',
    ]);
  } finally {
    rmSync(k.dir, { recursive: true, force: true });
  }
});

test('a changed, corrupted or deleted log file is reported against its digest', async () => {
  const { k, walk } = await chain();
  try {
    await k.sink.put(logFileKey('us-east-1', 1), logBody('NotWhatHappened'));
    const flipped = Buffer.from(logBody('Call3'));
    flipped[flipped.length - 10] ^= 0xff;
    await k.sink.put(logFileKey('us-east-1', 3), flipped);
    rmSync(k.sink.pathOf(logFileKey('us-east-1', 4)));
    const lines = await walk();
    assert.ok(lines.includes('log file1 hash value doesn\'t match'), lines.join('\n'));
    assert.ok(lines.includes('log file2 valid'));
    assert.match(lines.find((l) => l.startsWith('log file3'))!, /invalid format|hash value doesn't match/);
    assert.ok(lines.includes('log file4 not found'));
    assert.equal(lines.filter((l) => l.startsWith('digest') && l.endsWith('valid')).length, 3);
  } finally {
    rmSync(k.dir, { recursive: true, force: true });
  }
});

test('a deleted or edited digest is reported and the walk goes on from the next older one', async () => {
  const { k, walk, digestKeys } = await chain();
  try {
    rmSync(k.sink.pathOf(digestKeys[1]));
    let lines = await walk();
    assert.deepEqual(lines.filter((l) => l.startsWith('digest')), [
      'digest 20261205T090000Z valid', 'digest 20261205T080000Z not found', 'digest 20261205T070000Z valid',
    ]);

    // Edited content under the original signature (file 1's hash "fixed up" to match a forgery).
    const obj = (await k.sink.get(digestKeys[0]))!;
    const json = JSON.parse(gunzipSync(obj.body).toString());
    json.logFiles[0].hashValue = '0'.repeat(64);
    await k.sink.put(digestKeys[0], gzipSync(JSON.stringify(json)), undefined, obj.metadata);
    lines = await walk();
    assert.ok(lines.includes('digest 20261205T070000Z signature verification failed'), lines.join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('log file1')), 'an invalid digest\'s files are not trusted');

    // A digest copied elsewhere, and one signed by a key ListPublicKeys does not know.
    await k.sink.put(digestKeys[2].replace('090000Z', '093000Z'), (await k.sink.get(digestKeys[2]))!.body, undefined, obj.metadata);
    lines = await walk(new Map());
    assert.equal(lines[0], 'digest 20261205T093000Z has been moved from its original location');
    assert.match(lines[1], /^digest 20261205T090000Z public key not found in region us-east-1 for fingerprint [0-9a-f]{32}$/);
  } finally {
    rmSync(k.dir, { recursive: true, force: true });
  }
});

test('a chain restarted (validation off, then on) is walked across the gap, which is reported', async () => {
  const { k, walk } = await chain();
  try {
    const t = k.deps.trails.all()[0];
    t.logFileValidationEnabled = false;
    k.clock.advance(INTERVAL / 2);
    await runDigestPass(k.deps);
    t.logFileValidationEnabled = true;
    k.clock.advance(INTERVAL / 2);
    await runDigestPass(k.deps);
    const lines = await walk();
    assert.deepEqual(lines.filter((l) => !l.startsWith('log')), [
      'digest 20261205T100000Z valid', 'gap', 'digest 20261205T090000Z valid', 'digest 20261205T080000Z valid', 'digest 20261205T070000Z valid',
    ]);
  } finally {
    rmSync(k.dir, { recursive: true, force: true });
  }
});
