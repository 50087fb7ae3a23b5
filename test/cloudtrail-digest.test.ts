/**
 * Log file integrity validation through the real server: digests written by the server's digest
 * job, checked by `osprey trail validate` run as a child process (what an operator runs), then
 * tampered with. Most cases add known log files through the digest ledger in the server's database
 * (another process on the same SQLite file, as the trail repository supports) beside what trail
 * delivery writes, so they control exactly which files are tampered with; the last case is delivery
 * alone, end to end.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, ListPublicKeysCommand, StartLoggingCommand, StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { DigestLedgerStore } from '../src/services/cloudtrail/digest/store.ts';
import { TrailStore } from '../src/services/cloudtrail/trails/repo.ts';
import { FileSink } from '../src/store/buckets/sinks.ts';
import { ACCOUNT, OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { ROOT, awsEnv, openServerMetaDb, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
let server: TestServer;
let ct: CloudTrailClient;
let bucketDir: string;
let buckets: string;

before(async () => {
  bucketDir = mkdtempSync(join(tmpdir(), 'osprey-digest-bucket-'));
  buckets = JSON.stringify({ 'trail-bucket': `file://${bucketDir}` });
  server = await startTestServer({
    modules: ['cloudtrail'],
    env: {
      OSPREY_EXPORT_BUCKETS: buckets,
      OSPREY_CLOUDTRAIL_DIGEST_INTERVAL_MS: '300',
      OSPREY_CLOUDTRAIL_DELIVERY_INTERVAL_MS: '300',
      OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS,
    },
  });
  ct = new CloudTrailClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  rmSync(bucketDir, { recursive: true, force: true });
});

async function validate(trailArn: string, startTime: string, extra: string[] = []) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), 'trail', 'validate',
      '--trail-arn', trailArn, '--start-time', startTime, '--endpoint-url', server.url, '--verbose', ...extra],
    { cwd: ROOT, env: { ...process.env, OSPREY_EXPORT_BUCKETS: buckets, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const logKey = (n: number) => `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/12/05/${ACCOUNT}_CloudTrail_us-east-1_20261205T0700Z_f${n}.json.gz`;
const logBody = (eventName: string) => gzipSync(JSON.stringify({ Records: [{ eventVersion: '1.09', eventName, eventTime: new Date().toISOString() }] }));

test('ListPublicKeys returns the region\'s key (PKCS #1 DER); other accounts have their own', async () => {
  const { PublicKeyList } = await ct.send(new ListPublicKeysCommand({}));
  assert.equal(PublicKeyList?.length, 1);
  const der = Buffer.from(PublicKeyList![0].Value!);
  assert.equal(der[0], 0x30, 'a DER SEQUENCE (PKCS #1 RSAPublicKey)');
  assert.match(PublicKeyList![0].Fingerprint!, /^[0-9a-f]{32}$/);
  const again = await ct.send(new ListPublicKeysCommand({ StartTime: new Date(Date.now() - 3600_000), EndTime: new Date() }));
  assert.equal(again.PublicKeyList![0].Fingerprint, PublicKeyList![0].Fingerprint, 'generated once');
  const other = await new CloudTrailClient({ ...sdkConfig(server.url), credentials: OTHER }).send(new ListPublicKeysCommand({}));
  assert.notEqual(other.PublicKeyList![0].Fingerprint, PublicKeyList![0].Fingerprint);
  await assert.rejects(ct.send(new ListPublicKeysCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 60_000) })),
    (e: Error) => e.name === 'InvalidTimeRangeException');
});

test('trail bucket objects validate with the digest chain; a tampered, corrupted or deleted log file is reported', async () => {
  const started = new Date(Date.now() - 60_000).toISOString();
  const { TrailARN } = await ct.send(new CreateTrailCommand({ Name: 'validated', S3BucketName: 'trail-bucket', EnableLogFileValidation: true }));
  await ct.send(new StartLoggingCommand({ Name: 'validated' }));
  // Delivery's side of the contract, from another connection to the server's database.
  const db = await openServerMetaDb(server.dataDir);
  const trails = await TrailStore.open(db);
  const ledger = new DigestLedgerStore(db, trails);
  const sink = new FileSink(bucketDir);
  for (const n of [1, 2, 3]) {
    const body = logBody(`Call${n}`);
    await sink.put(logKey(n), body);
    await ledger.logFileDelivered(TrailARN!, { bucket: 'trail-bucket', key: logKey(n), body, oldestEventTime: Date.now() - 1000, newestEventTime: Date.now(), deliveredAt: Date.now() });
  }
  await until('the files to be digested', async () =>
    Number((await db.get<{ n: number }>('SELECT count(*) AS n FROM cloudtrail_digest_files WHERE trail_arn = ?', [TrailARN]))!.n) === 0 ? true : undefined);
  trails.close();
  await db.close();
  await ct.send(new StopLoggingCommand({ Name: 'validated' }));
  const status = await ct.send(new GetTrailStatusCommand({ Name: 'validated' }));
  assert.ok(status.LatestDigestDeliveryTime instanceof Date);
  assert.equal(status.LatestDigestDeliveryError, undefined);

  const ok = await validate(TrailARN!, started);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^Digest file\ts3:\/\/trail-bucket\/AWSLogs\/000000000000\/CloudTrail-Digest\/us-east-1\/.*_CloudTrail-Digest_us-east-1_validated_us-east-1_\d{8}T\d{6}Z\.json\.gz\tvalid$/m);
  assert.match(ok.stdout, new RegExp(`^Log file\ts3://trail-bucket/${logKey(1)}\tvalid$`, 'm'));
  // Trail delivery adds the log files of this test's own calls: every one of them validates too.
  for (const n of [2, 3]) assert.match(ok.stdout, new RegExp(`^Log file\ts3://trail-bucket/${logKey(n)}\tvalid$`, 'm'));
  assert.match(ok.stdout, /^(\d+)\/\1 log files valid$/m);
  assert.match(ok.stdout, /^\d+\/\d+ digest files valid$/m);

  // Edit one record (a valid gzip with other content), flip one byte of another, delete the third.
  await sink.put(logKey(1), logBody('NotWhatHappened'));
  const flipped = Buffer.from(logBody('Call2'));
  flipped[flipped.length - 12] ^= 0x01;
  await sink.put(logKey(2), flipped);
  rmSync(sink.pathOf(logKey(3)));
  const bad = await validate(TrailARN!, started);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.match(bad.stderr, new RegExp(`^Log file\ts3://trail-bucket/${logKey(1)}\tINVALID: hash value doesn't match$`, 'm'));
  assert.match(bad.stderr, new RegExp(`^Log file\ts3://trail-bucket/${logKey(2)}\tINVALID: (invalid format|hash value doesn't match)$`, 'm'));
  assert.match(bad.stderr, new RegExp(`^Log file\ts3://trail-bucket/${logKey(3)}\tINVALID: not found$`, 'm'));
  assert.match(bad.stdout, /^\d+\/(\d+) log files valid, 3\/\1 log files INVALID$/m);
});

test('usage and config errors exit 2 with one line', async () => {
  const badArn = await validate('not-an-arn', '2026-01-01T00:00:00Z');
  assert.equal(badArn.code, 2);
  assert.equal(badArn.stderr.trim(), 'osprey trail validate: Invalid trail ARN provided: not-an-arn');
  const badTime = await validate(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/validated`, 'yesterday-ish');
  assert.equal(badTime.code, 2);
  assert.equal(badTime.stderr.trim(), 'osprey trail validate: Unable to parse date value: yesterday-ish');
  const unknown = await validate(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/nope`, '2026-01-01T00:00:00Z');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /A trail could not be found for arn:aws:cloudtrail:us-east-1:000000000000:trail\/nope/);
});

/**
 * Just enough S3 (path-style GetBucketLocation, ListObjects, GetObject with x-amz-meta-*) over the
 * bucket directory for AWS's own validate-logs, which reads buckets through S3.
 */
async function s3Over(sink: FileSink) {
  const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url!, 'http://s3');
      const [, , ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (url.searchParams.has('location')) {
        res.writeHead(200, { 'Content-Type': 'application/xml' }).end('<?xml version="1.0"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>');
      } else if (key === '') {
        const marker = url.searchParams.get('marker') ?? '';
        const keys = (await sink.list(url.searchParams.get('prefix') ?? '')).filter((k) => k > marker);
        res.writeHead(200, { 'Content-Type': 'application/xml' }).end('<?xml version="1.0"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>false</IsTruncated>' +
          keys.map((k) => `<Contents><Key>${xml(k)}</Key><Size>1</Size></Contents>`).join('') + '</ListBucketResult>');
      } else {
        const obj = await sink.get(key);
        if (!obj) {
          res.writeHead(404, { 'Content-Type': 'application/xml' }).end('<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
          return;
        }
        const meta = Object.fromEntries(Object.entries(obj.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));
        res.writeHead(200, { 'Content-Length': String(obj.body.length), ...meta }).end(obj.body);
      }
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const awsCliV1 = (() => {
  try {
    return /^aws-cli\/1\./.test(execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) ? 'aws' : undefined;
  } catch {
    return undefined;
  }
})();

test('AWS\'s own `aws cloudtrail validate-logs` accepts Osprey\'s digests and catches the same tampering', { skip: !awsCliV1 && 'AWS CLI v1 not installed' }, async () => {
  const started = new Date(Date.now() - 60_000).toISOString();
  const { TrailARN } = await ct.send(new CreateTrailCommand({ Name: 'checked-by-aws', S3BucketName: 'trail-bucket', S3KeyPrefix: 'aws', EnableLogFileValidation: true }));
  await ct.send(new StartLoggingCommand({ Name: 'checked-by-aws' }));
  const db = await openServerMetaDb(server.dataDir);
  const trails = await TrailStore.open(db);
  const ledger = new DigestLedgerStore(db, trails);
  const sink = new FileSink(bucketDir);
  const key = `aws/${logKey(9)}`;
  const body = logBody('DeleteLogGroup');
  await sink.put(key, body);
  await ledger.logFileDelivered(TrailARN!, { bucket: 'trail-bucket', key, body, oldestEventTime: Date.now() - 1000, newestEventTime: Date.now(), deliveredAt: Date.now() });
  await until('the file to be digested', async () =>
    Number((await db.get<{ n: number }>('SELECT count(*) AS n FROM cloudtrail_digest_files WHERE trail_arn = ?', [TrailARN]))!.n) === 0 ? true : undefined);
  trails.close();
  await db.close();
  await ct.send(new StopLoggingCommand({ Name: 'checked-by-aws' }));
  const s3 = await s3Over(sink);
  const validateLogs = async () => {
    try {
      const r = await run(awsCliV1!, ['cloudtrail', 'validate-logs', '--trail-arn', TrailARN!, '--start-time', started, '--verbose', '--endpoint-url', server.url],
        { env: awsEnv({ AWS_ENDPOINT_URL_S3: s3.url }) });
      return { code: 0, out: r.stdout + r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, out: err.stdout + err.stderr };
    }
  };
  try {
    const ok = await validateLogs();
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, new RegExp(`Log file\ts3://trail-bucket/${key}\tvalid`));
    assert.match(ok.out, /(\d+)\/\1 log files valid/);
    await sink.put(key, logBody('NothingToSeeHere'));
    const bad = await validateLogs();
    assert.notEqual(bad.code, 0);
    assert.match(bad.out, new RegExp(`Log file\ts3://trail-bucket/${key}\tINVALID: hash value doesn't match`));
  } finally {
    s3.close();
  }
});

test('end to end: a validated trail delivers, digests, validates; tampering one byte is reported', async () => {
  const started = new Date(Date.now() - 60_000).toISOString();
  const { TrailARN } = await ct.send(new CreateTrailCommand({ Name: 'e2e', S3BucketName: 'trail-bucket', S3KeyPrefix: 'e2e', EnableLogFileValidation: true }));
  await ct.send(new StartLoggingCommand({ Name: 'e2e' }));
  for (let i = 0; i < 3; i++) await ct.send(new GetTrailStatusCommand({ Name: 'e2e' }));
  const sink = new FileSink(bucketDir);
  // A log file, then a digest that lists it.
  const logFile = await until('a delivered log file', async () =>
    (await sink.list(`e2e/AWSLogs/${ACCOUNT}/CloudTrail/`))[0]);
  await until('a digest listing it', async () => {
    for (const key of await sink.list(`e2e/AWSLogs/${ACCOUNT}/CloudTrail-Digest/`)) {
      const obj = await sink.get(key);
      if (obj && gunzipSync(obj.body).toString().includes(logFile)) return true;
    }
    return undefined;
  });
  await ct.send(new StopLoggingCommand({ Name: 'e2e' }));
  const ok = await validate(TrailARN!, started);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, new RegExp(`^Log file\ts3://trail-bucket/${logFile}\tvalid$`, 'm'));

  const bytes = (await sink.get(logFile))!.body;
  bytes[bytes.length - 12] ^= 0x01;
  await sink.put(logFile, bytes);
  const bad = await validate(TrailARN!, started);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.match(bad.stderr, new RegExp(`^Log file\ts3://trail-bucket/${logFile}\tINVALID: `, 'm'));
});
