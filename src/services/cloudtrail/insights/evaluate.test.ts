// Runs the Insights passes against embedded ClickHouse (chDB: one data directory per process, so
// the tests here share it; each uses its own account) and an in-memory SQLite.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../../lib/logger.ts';
import type { MetaDb } from '../../../store/meta/sql/types.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';
import { ChdbEngine } from '../../../store/telemetry/engine.ts';
import { migrate } from '../../../store/telemetry/migrations.ts';
import { TrailEventStore } from '../../../store/telemetry/trail-events.ts';
import { toRow } from '../record/row.ts';
import type { CloudTrailRecord } from '../record/types.ts';
import type { Trail } from '../trails/types.ts';
import { runInsightsPass, type PassDeps } from './evaluate.ts';
import { INSIGHTS_MIGRATIONS } from './schema.ts';
import { OpenInsightsStore } from './store.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'osprey-ct-insights-'));
let engine: ChdbEngine;
let store: TrailEventStore;
let seq = 0;

before(async () => {
  engine = await ChdbEngine.open({ path: dir });
  await migrate(engine);
  store = new TrailEventStore(engine);
});
after(async () => {
  await store.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Call { account: string; at: number; name?: string; error?: string; readOnly?: boolean; arn?: string }
const record = (c: Call): CloudTrailRecord => ({
  eventVersion: '1.09', userIdentity: { type: 'IAMUser', arn: c.arn ?? `arn:aws:iam::${c.account}:user/alice`, accountId: c.account },
  eventTime: new Date(c.at).toISOString(), eventSource: 'logs.amazonaws.com', eventName: c.name ?? 'DeleteLogGroup', awsRegion: 'us-east-1',
  sourceIPAddress: '127.0.0.1', userAgent: 'aws-cli/2', ...(c.error ? { errorCode: c.error, errorMessage: 'x' } : {}),
  requestParameters: null, responseElements: null, requestID: randomUUID(), eventID: randomUUID(), readOnly: c.readOnly ?? false,
  eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: c.account, eventCategory: 'Management',
});
const stored = (r: CloudTrailRecord, at: number) => toRow({ account: r.recipientAccountId, region: r.awsRegion, eventTime: at, seq: ++seq, record: r });
/** `n` calls spread over the minute starting at `minute`. */
const calls = (n: number, minute: number, c: Omit<Call, 'at'>) => Array.from({ length: n }, (_, i) => ({ ...c, at: minute + Math.floor((i * MIN) / (n + 1)) }));
const put = (list: Call[]) => store.append(list.map((c) => stored(record(c), c.at)));

function harness(account: string, db: MetaDb) {
  const appended: CloudTrailRecord[] = [];
  const trail = { account, region: 'us-east-1', logging: true, isMultiRegionTrail: false, insightSelectors: [{ InsightType: 'ApiErrorRateInsight' }, { InsightType: 'ApiCallRateInsight' }] } as unknown as Trail;
  const deps: PassDeps = {
    engine,
    recorder: {
      append: async (recs) => {
        appended.push(...recs.map((x) => x.record));
        await store.append(recs.map((x) => stored(x.record, x.eventTime)));
      },
      flush: async () => {},
    },
    existingIds: (ids) => store.existingIds(ids),
    trails: { all: () => [trail] },
    open: new OpenInsightsStore(db),
    intervalMs: MIN,
    windowMs: 30 * MIN,
    log: createLogger('silent'),
  };
  return { deps, appended, db, pass: (minute: number) => runInsightsPass(deps, T0 + minute * MIN + 500) };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- insightDetails, read field by field
const details = (r: CloudTrailRecord) => r.insightDetails as Record<string, any>;

// The trail-event store is shared: each engine's tests use their own accounts.
const engines = await metaEngines();
engines.forEach((meta, e) => describe(`insights on ${meta.name}`, () => {
  const acct = (n: number) => String(100000000000 + e * 100 + n);
  type T = { after(fn: () => Promise<void>): void };
  async function fresh(t: T): Promise<MetaDb> {
    const db = await meta.open({ name: 'cloudtrail-insights', migrations: INSIGHTS_MIGRATIONS });
    t.after(() => db.close());
    return db;
  }
  /** Another handle on the same store: the process restarted. */
  async function again(t: T, db: MetaDb): Promise<MetaDb> {
    const other = await meta.reopen(db);
    t.after(() => other.close());
    return other;
  }

  test('a calm baseline, then a burst of one error: Start with AWS\'s statistics and attributions, then End with the same shared id', async (t) => {
    const A = acct(1);
    for (let m = 0; m < 10; m++) await put(calls(m % 2 === 0 ? 1 : 2, T0 + m * MIN, { account: A, error: 'ResourceNotFoundException' }));
    await put(calls(30, T0 + 10 * MIN, { account: A, error: 'ResourceNotFoundException', arn: `arn:aws:iam::${A}:user/mallory` }));
    // Another account's burst and read-only calls do not count here.
    await put(calls(40, T0 + 10 * MIN, { account: acct(9), error: 'ResourceNotFoundException' }));
    const h = harness(A, await fresh(t));
    for (let m = 1; m <= 10; m++) await h.pass(m);
    assert.equal(h.appended.length, 0, 'calm minutes raise nothing');
    await h.pass(11);
    const errorStart = h.appended.find((r) => details(r).insightType === 'ApiErrorRateInsight')!;
    assert.ok(errorStart, 'the error-rate insight started');
    assert.equal(errorStart.eventTime, new Date(T0 + 10 * MIN).toISOString().replace('.000Z', 'Z'));
    const d = details(errorStart);
    assert.equal(d.state, 'Start');
    assert.equal(d.errorCode, 'ResourceNotFoundException');
    assert.deepEqual(d.insightContext.statistics, { baseline: { average: 1.5 }, insight: { average: 30 }, insightDuration: 1, baselineDuration: 10 });
    const attr = Object.fromEntries(d.insightContext.attributions.map((a: { attribute: string }) => [a.attribute, a]));
    assert.deepEqual(attr.userIdentityArn.insight, [{ value: `arn:aws:iam::${A}:user/mallory`, average: 30 }]);
    assert.deepEqual(attr.userIdentityArn.baseline, [{ value: `arn:aws:iam::${A}:user/alice`, average: 1.5 }]);
    assert.deepEqual(attr.errorCode.insight, [{ value: 'ResourceNotFoundException', average: 30 }]);
    assert.ok(h.appended.some((r) => details(r).insightType === 'ApiCallRateInsight' && details(r).state === 'Start'), 'failing writes are calls too');

    await h.pass(11); // the same interval again: nothing new
    assert.equal(h.appended.length, 2);
    await h.pass(12);
    const ends = h.appended.filter((r) => details(r).state === 'End');
    assert.equal(ends.length, 2);
    const errorEnd = ends.find((r) => r.sharedEventID === errorStart.sharedEventID)!;
    assert.equal(errorEnd.eventTime, new Date(T0 + 11 * MIN).toISOString().replace('.000Z', 'Z'));
    assert.deepEqual(details(errorEnd).insightContext.statistics, { baseline: { average: 1.5 }, insight: { average: 30 }, insightDuration: 1, baselineDuration: 10 });
    assert.deepEqual(await h.deps.open.all(), []);
  });

  test('read-only calls are no call rate; a brand-new account needs a baseline first; a burst like the baseline\'s is not unusual', async (t) => {
    const B = acct(2);
    await put(calls(50, T0 + 5 * MIN, { account: B, name: 'DescribeLogGroups', readOnly: true }));
    await put(calls(50, T0 + 5 * MIN, { account: B, name: 'CreateLogGroup' }));
    const h = harness(B, await fresh(t));
    await h.pass(6);
    assert.equal(h.appended.length, 0, 'no history before the burst: no baseline');
    await h.pass(7);
    assert.equal(h.appended.length, 0, 'nor an End');
    await put(calls(50, T0 + 9 * MIN, { account: B, name: 'CreateLogGroup' }));
    await put(calls(200, T0 + 9 * MIN, { account: B, name: 'DescribeLogGroups', readOnly: true }));
    await h.pass(10);
    // CreateLogGroup's baseline over minutes 5–8 (from the account's first event): 50, 0, 0, 0 → mean
    // 12.5, σ ≈ 21.7, threshold ≈ 77: the same 50 again is not unusual; 200 read-only calls never count.
    assert.equal(h.appended.length, 0);
    await put(calls(100, T0 + 10 * MIN, { account: B, name: 'CreateLogGroup' }));
    await h.pass(11);
    assert.deepEqual(h.appended.map((r) => `${details(r).insightType} ${details(r).eventName}`), ['ApiCallRateInsight CreateLogGroup']);
    assert.equal(details(h.appended[0]!).insightContext.statistics.baseline.average, 20, 'minutes 5–9: 50, 0, 0, 0, 50');
  });

  test('after a restart an open insight is neither started again nor left without its End; a pending record is written once', async (t) => {
    const C = acct(3);
    for (let m = 0; m < 5; m++) await put(calls(1, T0 + m * MIN, { account: C, error: 'AccessDenied' }));
    await put(calls(20, T0 + 5 * MIN, { account: C, error: 'AccessDenied', name: 'PutRetentionPolicy' }));
    await put(calls(20, T0 + 6 * MIN, { account: C, error: 'AccessDenied', name: 'PutRetentionPolicy' }));
    const db = await fresh(t);
    const first = harness(C, db);
    await first.pass(6);
    const starts = first.appended.filter((r) => details(r).insightType === 'ApiErrorRateInsight');
    assert.equal(starts.length, 1);

    const second = harness(C, await again(t, db)); // the process restarted: same table, fresh everything else
    await second.pass(7); // the burst continues
    assert.equal(second.appended.length, 0);
    // A crash after the End was written to the table but before it reached the recorder:
    const open = (await second.deps.open.all()).find((o) => o.key.insightType === 'ApiErrorRateInsight')!;
    await second.deps.open.end(open.key, { ...starts[0]!, eventID: randomUUID(), insightDetails: { ...starts[0]!.insightDetails, state: 'End' } });
    const third = harness(C, await again(t, db));
    await third.pass(8);
    const errorRecords = third.appended.filter((r) => details(r).insightType === 'ApiErrorRateInsight');
    assert.deepEqual(errorRecords.map((r) => [details(r).state, r.sharedEventID]), [['End', starts[0]!.sharedEventID]]);
    await harness(C, await again(t, db)).pass(9);
    const [row] = await engine.query<{ n: string }>(
      `SELECT count() AS n FROM trail_events WHERE account = {a:String} AND event_category = 'Insight' AND JSONExtractString(record, 'insightDetails', 'insightType') = 'ApiErrorRateInsight'`, { a: C });
    assert.equal(Number(row!.n), 2, 'one Start and one End stored');
  });
}));
