/**
 * OSPREY_STORE_UNAVAILABLE: each store answers a cheap probe that uses it for real, within a time
 * limit — the telemetry store counts the rows of a table (it must open the table's parts), the
 * metadata store commits a one-row write (fails when SQLite cannot write: read-only, full, closed).
 * A probe that throws or hangs makes its store an incident.
 */
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import { STORE_UNAVAILABLE } from '../event-types.ts';
import type { Check, Condition } from './check.ts';

export interface StoreProbe {
  /** The entity: `telemetry-store` or `metadata-store`. */
  entity: string;
  label: string;
  probe(now: number): Promise<unknown>;
}

const PROBE_TIMEOUT_MS = 5_000;

/** Counting log_events' rows reads its parts' metadata: a session or server that cannot serve the table fails it. */
export const telemetryProbe = (engine: SqlEngine) => (): Promise<unknown> => engine.query('SELECT count() AS n FROM log_events');

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function storeProbeCheck(probes: readonly StoreProbe[], timeoutMs = PROBE_TIMEOUT_MS): Check {
  return {
    name: 'stores',
    types: [STORE_UNAVAILABLE],
    async run(now) {
      const out: Condition[] = [];
      for (const p of probes) {
        try {
          await withTimeout(Promise.resolve().then(() => p.probe(now)), timeoutMs);
        } catch (err) {
          out.push({
            typeCode: STORE_UNAVAILABLE, entity: p.entity,
            description: `Osprey's ${p.label} failed its probe: ${(err as Error).message}. Requests that read or write it fail until it recovers.`,
          });
        }
      }
      return out;
    },
  };
}
