/**
 * Log file integrity validation: for trails with LogFileValidationEnabled, a signed digest file per
 * region every `cloudtrail.digestIntervalMs` (AWS: hourly) listing the log files delivered since the
 * previous digest, chained to it; ListPublicKeys publishes the keys that check them
 * (`osprey trail validate` and `aws cloudtrail validate-logs` use it).
 *
 * Wiring (module.ts): `const ledger = openDigestLedger(deps)` — pass it to delivery, which calls
 * `ledger.logFileDelivered` after writing each object; `...digestHandlers(deps)` in the handlers;
 * `...digestJobs(deps, ledger)` in the jobs.
 */
import { PeriodicTask } from '../../../jobs/periodic-task.ts';
import type { ServiceHandlers } from '../../../protocol/operations.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Env, Job } from '../../../server/module.ts';
import type { ExportDestinations } from '../../../store/buckets/sinks.ts';
import type { TrailRepo } from '../trails/types.ts';
import { SigningKeys } from './keys.ts';
import { runDigestPass } from './pass.ts';
import { DIGEST_MIGRATIONS } from './schema.ts';
import { DigestLedgerStore } from './store.ts';

export interface DigestDeps {
  env: Env;
  trails: TrailRepo;
  /** The operator's buckets (shared with delivery; the module closes them). */
  buckets: Pick<ExportDestinations, 'bucket'>;
}

export type { DigestLedger } from './ledger.ts';

/** Migrates the digest schema: call it before digestHandlers and digestJobs. */
export async function openDigestLedger(deps: DigestDeps): Promise<DigestLedgerStore> {
  await deps.env.migrate('cloudtrail-digest', DIGEST_MIGRATIONS);
  return new DigestLedgerStore(deps.env.db, deps.trails);
}

function signingKeys(env: Env): SigningKeys {
  return new SigningKeys(env.db, () => env.clock.now(), env.keys);
}

export function digestHandlers(deps: DigestDeps): ServiceHandlers<'cloudtrail'> {
  const keys = signingKeys(deps.env);
  return {
    ListPublicKeys: async (ctx, input) => {
      // The region's key exists from the first ask on, so a client can always fetch the current one.
      await keys.current(ctx.account, ctx.region);
      const now = ctx.clock.now();
      const start = input.StartTime?.getTime() ?? now;
      const end = input.EndTime?.getTime() ?? now;
      if (start > end) throw new ServiceError('InvalidTimeRangeException', 'Start time must be earlier than end time.');
      return {
        PublicKeyList: (await keys.publicKeys(ctx.account, ctx.region, end)).map((k) => ({
          // PKCS #1 DER; the wire carries it base64-encoded, as every blob.
          Value: k.der,
          ValidityStartTime: new Date(k.validFrom),
          Fingerprint: k.fingerprint,
        })),
      };
    },
  };
}

export function digestJobs(deps: DigestDeps, ledger: DigestLedgerStore): Job[] {
  const pass = {
    trails: deps.trails,
    ledger,
    keys: signingKeys(deps.env),
    buckets: deps.buckets,
    now: () => deps.env.clock.now(),
    intervalMs: deps.env.config.cloudtrail.digestIntervalMs,
    log: deps.env.log,
  };
  const task = new PeriodicTask('cloudtrail-digest', pass.intervalMs, () => runDigestPass(pass), deps.env.log);
  return [{ name: 'cloudtrail-digest', start: () => task.start(), stop: () => task.stop() }];
}
