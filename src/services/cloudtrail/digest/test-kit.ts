/** Shared by the digest unit tests: an in-memory ledger, keys and trails over a temp bucket directory. */
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { FileSink, type BucketSink } from '../../../store/buckets/sinks.ts';
import { KeyStore } from '../../../store/keys/key-store.ts';
import { migrateModuleOn } from '../../../store/meta/sql/migrate.ts';
import { openTestMetaDb, type MetaEngine } from '../../../store/meta/test-support.ts';
import { TRAIL_MIGRATIONS } from '../trails/schema.ts';
import type { Trail, TrailDeliveryStatus } from '../trails/types.ts';
import { SigningKeys } from './keys.ts';
import type { DigestPassDeps } from './pass.ts';
import { DIGEST_MIGRATIONS } from './schema.ts';
import { DigestLedgerStore } from './store.ts';

export const ACCOUNT = '000000000000';
export const T0 = Date.UTC(2026, 11, 5, 7, 0, 0);
export const INTERVAL = 3_600_000;

export function trail(over: Partial<Trail> = {}): Trail {
  return {
    account: ACCOUNT, region: 'us-east-1', name: 'audit', arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/audit`,
    s3BucketName: 'trail-bucket', includeGlobalServiceEvents: true, isMultiRegionTrail: false, logFileValidationEnabled: true,
    logging: true, insightSelectors: [], createdAt: T0 - INTERVAL, ...over,
  };
}

export function logFileKey(region: string, n: number): string {
  return `AWSLogs/${ACCOUNT}/CloudTrail/${region}/2026/12/05/${ACCOUNT}_CloudTrail_${region}_20261205T0700Z_file${n}.json.gz`;
}

export function logBody(eventName: string): Buffer {
  return gzipSync(JSON.stringify({ Records: [{ eventVersion: '1.09', eventName, eventTime: '2026-12-05T06:59:00Z' }] }));
}

/** On `engine` (else in-memory SQLite); the caller closes `db`. */
export async function digestKit(trails: Trail[], engine?: MetaEngine) {
  const digest = { name: 'cloudtrail-digest', migrations: DIGEST_MIGRATIONS };
  const db = engine ? await engine.open(digest) : await openTestMetaDb(digest);
  // Digest claims lock their trail's row.
  await migrateModuleOn(db, 'cloudtrail', TRAIL_MIGRATIONS);
  const clock = new ManualClock(T0);
  const status = new Map<string, TrailDeliveryStatus>();
  const repo = {
    all: () => trails,
    get: (arn: string) => trails.find((t) => t.arn === arn),
    updateStatus: async (arn: string, patch: TrailDeliveryStatus) => void status.set(arn, { ...status.get(arn), ...patch }),
  };
  const ledger = new DigestLedgerStore(db, repo);
  const keys = new SigningKeys(db, () => clock.now(), KeyStore.fromMaster(randomBytes(32)));
  const dir = mkdtempSync(join(tmpdir(), 'osprey-digest-'));
  const sink = new FileSink(dir);
  const sinks = new Map<string, BucketSink>([['trail-bucket', sink]]);
  const deps: DigestPassDeps = {
    trails: repo, ledger, keys, buckets: { bucket: (b) => sinks.get(b) }, now: () => clock.now(), intervalMs: INTERVAL, log: silentLogger,
  };
  /** Writes a log file to the bucket and tells the ledger, as delivery does. */
  const deliver = async (t: Trail, region: string, n: number, eventName = `Call${n}`) => {
    const key = logFileKey(region, n);
    const body = logBody(eventName);
    await sink.put(key, body);
    await ledger.logFileDelivered(t.arn, { bucket: 'trail-bucket', key, body, oldestEventTime: clock.now() - 60_000, newestEventTime: clock.now() - 1000, deliveredAt: clock.now() });
    return key;
  };
  return { db, clock, status, ledger, keys, dir, sinks, deps, deliver, sink };
}
