/**
 * One digest pass over every trail. Per (trail, region): finish a digest a previous pass recorded
 * but did not write, then record the next one (files waiting, or the trail is logging: AWS writes a
 * digest every interval even when no log file was delivered), write its object idempotently, and
 * only then forget its files.
 */
import type { Logger } from '../../../lib/logger.ts';
import type { BucketSink } from '../../../store/buckets/sinks.ts';
import type { Trail, TrailRepo } from '../trails/types.ts';
import { buildDigest } from './build.ts';
import { SIGNATURE_ALGORITHM } from './format.ts';
import type { SigningKeys } from './keys.ts';
import type { DigestLedgerStore, DigestRow } from './store.ts';

export interface DigestPassDeps {
  trails: Pick<TrailRepo, 'all' | 'get' | 'updateStatus'>;
  ledger: DigestLedgerStore;
  keys: SigningKeys;
  buckets: { bucket(name: string): BucketSink | undefined };
  now: () => number;
  intervalMs: number;
  log: Logger;
}

export async function runDigestPass(deps: DigestPassDeps): Promise<void> {
  for (const trail of deps.trails.all()) {
    try {
      await digestTrail(deps, trail);
    } catch (err) {
      deps.log.warn({ err, trail: trail.arn }, 'CloudTrail digest not written; retrying next interval');
    }
  }
  // Chains of deleted trails end with them.
  for (const arn of await deps.ledger.trailArns()) if (!deps.trails.get(arn)) await deps.ledger.forget(arn);
}

async function digestTrail(deps: DigestPassDeps, trail: Trail): Promise<void> {
  const regions = new Set([trail.region, ...(await deps.ledger.regions(trail.arn))]);
  if (!trail.logFileValidationEnabled) {
    // Validation turned off: what is recorded is written, then the chain ends.
    if ((await deps.ledger.regions(trail.arn)).length === 0) return;
    for (const region of regions) {
      const pending = await deps.ledger.pending(trail.arn, region);
      if (pending) await writeDigest(deps, trail, pending);
    }
    await deps.ledger.forget(trail.arn);
    return;
  }
  for (const region of regions) await digestRegion(deps, trail, region);
}

async function digestRegion(deps: DigestPassDeps, trail: Trail, region: string): Promise<void> {
  const pending = await deps.ledger.pending(trail.arn, region);
  if (pending) await writeDigest(deps, trail, pending);
  const due = (await deps.ledger.hasWaitingFiles(trail.arn, region))
    || (trail.logging && (region === trail.region || (await deps.ledger.head(trail.arn, region)) !== undefined));
  if (!due || !trail.s3BucketName) return;
  if (!deps.buckets.bucket(trail.s3BucketName)) {
    // Nothing is recorded for a bucket Osprey cannot write: the files wait for the mapping.
    await deps.trails.updateStatus(trail.arn, { latestDigestDeliveryError: `NoSuchBucket: ${trail.s3BucketName} is not in export.buckets` });
    return;
  }
  const key = await deps.keys.current(trail.account, region);
  const row = await deps.ledger.claim(trail.arn, region, (head, files) =>
    buildDigest({ trail, region, key, head, files, now: deps.now(), intervalMs: deps.intervalMs }));
  if (row) await writeDigest(deps, trail, row);
}

async function writeDigest(deps: DigestPassDeps, trail: Trail, row: DigestRow): Promise<void> {
  try {
    const sink = deps.buckets.bucket(row.bucket);
    if (!sink) throw new Error(`NoSuchBucket: ${row.bucket} is not in export.buckets`);
    // Same key, bytes and signature every attempt: rewriting after a crash changes nothing.
    await sink.put(row.key, row.body!, undefined, { signature: row.signature, 'signature-algorithm': SIGNATURE_ALGORITHM });
  } catch (err) {
    await deps.trails.updateStatus(trail.arn, { latestDigestDeliveryError: (err as Error).message });
    throw err;
  }
  await deps.ledger.written(row.id);
  await deps.trails.updateStatus(trail.arn, { latestDigestDeliveryTime: deps.now(), latestDigestDeliveryError: undefined });
}
