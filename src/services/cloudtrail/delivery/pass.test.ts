import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../lib/logger.ts';
import type { CloudTrailRecord } from '../record/types.ts';
import type { Trail, TrailDeliveryStatus } from '../trails/types.ts';
import { DeliveryError, type Destination, type DestinationName } from './destination.ts';
import { DeliveryPass } from './pass.ts';
import type { PendingBatch, PendingRecord } from './read.ts';
import { inWindow, type LoggingWindow } from './window.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:000000000000:trail/t';

function trail(over: Partial<Trail> = {}): Trail {
  return {
    account: '000000000000', region: 'us-east-1', name: 't', arn: ARN, s3BucketName: 'b',
    cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g:*', includeGlobalServiceEvents: true,
    isMultiRegionTrail: false, logFileValidationEnabled: false, logging: true, insightSelectors: [], createdAt: 0, startLoggingTime: 0, ...over,
  };
}

const rec = (seq: number): PendingRecord =>
  ({ seq, eventTime: seq, region: 'us-east-1', category: 'Management', json: `{"n":${seq}}`, record: { eventID: String(seq) } as CloudTrailRecord });

/** In-memory trails, records and destinations standing in for the repo, trail_events and the services. */
function harness(t: Trail, records: PendingRecord[], limit = 3) {
  const state = { cursor: 0, status: {} as TrailDeliveryStatus, trail: t as Trail | undefined };
  const got: Record<DestinationName, number[]> = { bucket: [], logs: [] };
  const fail: Partial<Record<DestinationName, DeliveryError>> = {};
  const warnings: string[] = [];
  const dest = (name: DestinationName): Destination => ({
    name, wants: () => true,
    deliver: async (_t, rs) => {
      if (fail[name]) throw fail[name];
      got[name].push(...rs.map((r) => r.seq));
    },
  });
  const log = { warn: (_o: unknown, msg: string) => warnings.push(msg), info: () => {}, error: () => {} } as unknown as Logger;
  let reads = 0;
  const pass = new DeliveryPass({
    trails: {
      all: () => (state.trail ? [state.trail] : []),
      get: () => state.trail,
      cursor: async () => state.cursor,
      setCursor: async (_a, seq) => { state.cursor = seq; },
      // Stored as JSON, as the repository does: an undefined member clears it.
      updateStatus: async (_a, patch) => { state.status = JSON.parse(JSON.stringify({ ...state.status, ...patch })) as TrailDeliveryStatus; },
    },
    flush: async () => {},
    read: async (_t, cursor, w: LoggingWindow): Promise<PendingBatch> => {
      reads++;
      const page = records.filter((r) => r.seq > cursor).slice(0, limit);
      return { records: page.filter((r) => inWindow(w, r.eventTime)), lastSeq: page.at(-1)?.seq, full: page.length === limit };
    },
    destinations: [dest('bucket'), dest('logs')],
    now: () => 42,
    log,
  });
  return { pass, state, got, fail, warnings, reads: () => reads };
}

test('every batch reaches both destinations, then the cursor moves past it and the status shows the delivery', async () => {
  const h = harness(trail(), [1, 2, 3, 4, 5, 6, 7].map(rec));
  await h.pass.run();
  assert.deepEqual(h.got, { bucket: [1, 2, 3, 4, 5, 6, 7], logs: [1, 2, 3, 4, 5, 6, 7] });
  assert.equal(h.state.cursor, 7);
  assert.deepEqual(h.state.status, { latestDeliveryTime: 42, latestDeliveryAttemptTime: 42, latestDeliveryAttemptSucceeded: 42, latestCloudWatchLogsDeliveryTime: 42 });
  await h.pass.run();
  assert.equal(h.got.bucket.length, 7, 'nothing is delivered twice');
});

test('a failing destination holds the cursor; the batch is retried next pass without repeating it to the other destination', async () => {
  const h = harness(trail(), [1, 2, 3, 4].map(rec));
  h.fail.bucket = new DeliveryError('SlowDown', false);
  await h.pass.run();
  await h.pass.run();
  assert.equal(h.state.cursor, 0);
  assert.deepEqual(h.got, { bucket: [], logs: [1, 2, 3] });
  assert.equal(h.state.status.latestDeliveryError, 'SlowDown');
  assert.equal(h.state.status.latestDeliveryAttemptTime, 42);
  assert.equal(h.warnings.length, 1, 'each failure kind is logged once');
  delete h.fail.bucket;
  await h.pass.run();
  assert.deepEqual(h.got, { bucket: [1, 2, 3, 4], logs: [1, 2, 3, 4] });
  assert.equal(h.state.cursor, 4);
  assert.equal(h.state.status.latestDeliveryError, undefined);
});

test('a destination that is gone does not hold the other back: its records are skipped and the error shows', async () => {
  const h = harness(trail(), [1, 2, 3, 4].map(rec));
  h.fail.logs = new DeliveryError('CloudWatchLogsLogGroupArn g does not exist', true);
  await h.pass.run();
  assert.deepEqual(h.got, { bucket: [1, 2, 3, 4], logs: [] });
  assert.equal(h.state.cursor, 4);
  assert.equal(h.state.status.latestCloudWatchLogsDeliveryError, 'CloudWatchLogsLogGroupArn g does not exist');
  assert.equal(h.state.status.latestCloudWatchLogsDeliveryTime, undefined);
});

test('an unexpected error is retried like a passing failure and never escapes the pass', async () => {
  const h = harness(trail(), [1].map(rec));
  h.fail.logs = new Error('boom') as DeliveryError;
  await h.pass.run();
  assert.equal(h.state.cursor, 0);
  assert.equal(h.state.status.latestCloudWatchLogsDeliveryError, 'boom');
});

test('a trail that was never started reads nothing; a stopped one delivers only what it logged', async () => {
  const never = harness(trail({ logging: false, startLoggingTime: undefined }), [1, 2].map(rec));
  await never.pass.run();
  assert.equal(never.reads(), 0);
  const stopped = harness(trail({ logging: false, startLoggingTime: 2, stopLoggingTime: 4 }), [1, 2, 3, 4, 5, 6].map(rec));
  await stopped.pass.run();
  assert.deepEqual(stopped.got.bucket, [2, 3, 4]);
});

test('a trail deleted during delivery gets no cursor or status written back', async () => {
  const h = harness(trail(), [1].map(rec));
  h.state.trail = trail();
  const all = [h.state.trail];
  h.state.trail = undefined;
  // all() still lists it (a snapshot taken before the delete); get() no longer finds it.
  (h.pass as unknown as { deps: { trails: { all: () => Trail[] } } }).deps.trails.all = () => all;
  await h.pass.run();
  assert.equal(h.state.cursor, 0);
  assert.deepEqual(h.state.status, {});
});
