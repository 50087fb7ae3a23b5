import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { silentLogger } from '../../../lib/logger.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { Env } from '../../../server/module.ts';
import type { BucketSink } from '../../../store/buckets/sinks.ts';
import type { DeliveredLogFile } from '../digest/ledger.ts';
import type { CloudTrailRecord } from '../record/types.ts';
import type { Trail } from '../trails/types.ts';
import { BucketDestination, type NotificationStatus } from './bucket.ts';
import { DeliveryError } from './destination.ts';
import { LogGroupDestination } from './log-group.ts';
import type { PendingRecord } from './read.ts';

const ACCOUNT = '000000000000';
const NOW = Date.UTC(2026, 11, 5, 7, 30);
const trail = (over: Partial<Trail> = {}): Trail => ({
  account: ACCOUNT, region: 'us-east-1', name: 't', arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`, s3BucketName: 'b',
  cloudWatchLogsLogGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:CloudTrail/t:*`, includeGlobalServiceEvents: true,
  isMultiRegionTrail: true, logFileValidationEnabled: true, logging: true, insightSelectors: [], createdAt: 0, ...over,
});
const rec = (seq: number, region: string, category = 'Management'): PendingRecord => {
  const record = { eventID: `e${seq}`, awsRegion: region, eventCategory: category } as CloudTrailRecord;
  return { seq, eventTime: NOW - 1000 * (10 - seq), region, category, json: JSON.stringify(record), record };
};

interface Call { service: string; operation: string; ctx: Ctx; input: Record<string, unknown> }
/** env.call as the services answer it, recording every call; `answer` may throw. */
function fakeEnv(answer: (c: Call) => unknown = () => ({})) {
  const calls: Call[] = [];
  const env = {
    call: async (service: string, operation: string, ctx: Ctx, input: Record<string, unknown>) => {
      const c = { service, operation, ctx, input };
      calls.push(c);
      return answer(c);
    },
    serviceCtx: (scope: { account: string; region: string; principalArn: string }) => ({ ...scope }) as Ctx,
  } as unknown as Pick<Env, 'call' | 'serviceCtx'>;
  return { env, calls };
}

function bucketHarness(opts: { topic?: string; put?: () => Promise<void>; mapped?: boolean; publish?: () => unknown } = {}) {
  const objects = new Map<string, Buffer>();
  const files: DeliveredLogFile[] = [];
  const notes: NotificationStatus[] = [];
  const sink = { put: opts.put ?? (async (key: string, body: Buffer) => { objects.set(key, body); }) } as unknown as BucketSink;
  const { env, calls } = fakeEnv((c) => (c.operation === 'Publish' && opts.publish ? opts.publish() : {}));
  const dest = new BucketDestination({
    buckets: { bucket: (name) => (opts.mapped === false || name !== 'b' ? undefined : sink) },
    ledger: { logFileDelivered: async (_arn, f) => void files.push(f) },
    env, log: silentLogger, notified: (_arn, s) => void notes.push(s),
  });
  return { dest, objects, files, notes, calls };
}

test('the bucket gets one gzipped {"Records":[…]} object per region (Insights apart), each told to the digest ledger', async () => {
  const h = bucketHarness();
  await h.dest.deliver(trail({ s3KeyPrefix: 'p' }), [rec(1, 'us-east-1'), rec(2, 'eu-west-1'), rec(3, 'us-east-1'), rec(4, 'us-east-1', 'Insight')], NOW);
  const keys = [...h.objects.keys()].sort();
  assert.equal(keys.length, 3);
  assert.match(keys[0]!, /^p\/AWSLogs\/000000000000\/CloudTrail-Insight\/us-east-1\/2026\/12\/05\/000000000000_CloudTrail-Insight_us-east-1_20261205T0730Z_\w{16}\.json\.gz$/);
  assert.match(keys[1]!, /^p\/AWSLogs\/000000000000\/CloudTrail\/eu-west-1\/2026\/12\/05\/000000000000_CloudTrail_eu-west-1_20261205T0730Z_\w{16}\.json\.gz$/);
  const east = keys.find((k) => k.includes('/CloudTrail/us-east-1/'))!;
  const body = JSON.parse(gunzipSync(h.objects.get(east)!).toString()) as { Records: CloudTrailRecord[] };
  assert.deepEqual(body.Records.map((r) => r.eventID), ['e1', 'e3']);
  assert.deepEqual(h.files.map((f) => f.key).sort(), keys.slice(1));
  const f = h.files.find((x) => x.key === east)!;
  assert.deepEqual([f.bucket, f.oldestEventTime, f.newestEventTime, f.deliveredAt], ['b', rec(1, '').eventTime, rec(3, '').eventTime, NOW]);
  assert.ok(f.body.equals(h.objects.get(east)!));
  assert.equal(h.calls.length, 0, 'no topic, no notification');
});

test('each object is announced on the trail\'s SNS topic with AWS\'s message; a failed notification never fails delivery', async () => {
  const h = bucketHarness();
  await h.dest.deliver(trail({ snsTopicName: 'files' }), [rec(1, 'us-east-1')], NOW);
  const [pub] = h.calls;
  assert.equal(pub!.input.TopicArn, `arn:aws:sns:us-east-1:${ACCOUNT}:files`);
  assert.deepEqual(JSON.parse(pub!.input.Message as string), { s3Bucket: 'b', s3ObjectKey: [...h.objects.keys()] });
  assert.equal(h.notes[0]!.latestNotificationTime, NOW);
  const failing = bucketHarness({ publish: () => { throw new ServiceError('NotFoundException', 'Topic does not exist'); } });
  await failing.dest.deliver(trail({ snsTopicName: `arn:aws:sns:us-east-1:${ACCOUNT}:gone` }), [rec(1, 'us-east-1')], NOW);
  assert.equal(failing.objects.size, 1);
  assert.deepEqual(failing.notes, [{ latestNotificationAttemptTime: NOW, latestNotificationError: 'NotFoundException' }]);
});

test('an unmapped bucket is NoSuchBucket (the destination is gone); a write failure is retried', async () => {
  await assert.rejects(bucketHarness({ mapped: false }).dest.deliver(trail(), [rec(1, 'us-east-1')], NOW),
    (e: DeliveryError) => e.permanent && e.message === 'NoSuchBucket');
  const io = bucketHarness({ put: async () => { throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }); } });
  await assert.rejects(io.dest.deliver(trail(), [rec(1, 'us-east-1')], NOW), (e: DeliveryError) => !e.permanent && /EACCES/.test(e.message));
  assert.equal(io.files.length, 0, 'a file not written is not told to the digest ledger');
});

test('the log group gets one event per record in <account>_CloudTrail_<region>, through the group\'s region, streams created once', async () => {
  const { env, calls } = fakeEnv();
  const dest = new LogGroupDestination(env);
  const records = [rec(2, 'us-east-1'), rec(1, 'us-east-1'), rec(3, 'eu-west-1')];
  await dest.deliver(trail(), records);
  await dest.deliver(trail(), [rec(4, 'us-east-1')]);
  assert.deepEqual(calls.map((c) => `${c.operation} ${String(c.input.logStreamName)}`), [
    `CreateLogStream ${ACCOUNT}_CloudTrail_us-east-1`, `PutLogEvents ${ACCOUNT}_CloudTrail_us-east-1`,
    `CreateLogStream ${ACCOUNT}_CloudTrail_eu-west-1`, `PutLogEvents ${ACCOUNT}_CloudTrail_eu-west-1`,
    `PutLogEvents ${ACCOUNT}_CloudTrail_us-east-1`,
  ]);
  assert.ok(calls.every((c) => c.ctx.region === 'eu-west-1' && c.ctx.account === ACCOUNT && c.input.logGroupName === 'CloudTrail/t'));
  assert.deepEqual(calls[1]!.input.logEvents, [records[1], records[0]].map((r) => ({ timestamp: r!.eventTime, message: r!.json })));
});

test('a stream that already exists or was deleted is handled; a deleted log group is reported as gone', async () => {
  let streamGone = true;
  const { env, calls } = fakeEnv((c) => {
    if (c.operation === 'CreateLogStream') {
      if (!streamGone) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
      streamGone = false;
    }
    if (c.operation === 'PutLogEvents' && streamGone) throw new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
    return {};
  });
  const dest = new LogGroupDestination(env);
  streamGone = false;
  await dest.deliver(trail(), [rec(1, 'us-east-1')]);
  streamGone = true;
  await dest.deliver(trail(), [rec(2, 'us-east-1')]);
  assert.deepEqual(calls.map((c) => c.operation), ['CreateLogStream', 'PutLogEvents', 'PutLogEvents', 'CreateLogStream', 'PutLogEvents']);

  const gone = new LogGroupDestination(fakeEnv(() => { throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.'); }).env);
  await assert.rejects(gone.deliver(trail(), [rec(1, 'us-east-1')]), (e: DeliveryError) => e.permanent && /does not exist/.test(e.message));
  const busy = new LogGroupDestination(fakeEnv(() => { throw new ServiceError('ServiceUnavailableException', 'Ingest is overloaded; retry the request', { status: 503 }); }).env);
  await assert.rejects(busy.deliver(trail(), [rec(1, 'us-east-1')]), (e: DeliveryError) => !e.permanent);
});
