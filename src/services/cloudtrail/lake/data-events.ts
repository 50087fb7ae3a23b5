/**
 * Which data calls Lake stores want recorded. The recorder builds a data event (PutLogEvents,
 * PutMetricData…) only when someone selects it; a store whose advanced selectors take Data events
 * is such a someone, like a logging trail. Answered from an in-memory list (this is the hot path),
 * rebuilt whenever the repository's followed copy of the stores changes.
 */
import type { CloudTrailRecord } from '../record/types.ts';
import { trailSelects } from '../trails/selectors.ts';
import type { Trail } from '../trails/types.ts';
import type { EventDataStore, LakeRepo } from './repo.ts';

export interface LakeDataEvents {
  /** Enabled stores of the scope (their region, or any region when multi-region) that select some data events. */
  storesFor(account: string, region: string): readonly EventDataStore[];
  selects(store: EventDataStore, record: CloudTrailRecord): boolean;
}

export function lakeDataEvents(repo: LakeRepo): LakeDataEvents {
  let seen: readonly EventDataStore[] | undefined;
  let stores: EventDataStore[] = [];
  const asTrail = new WeakMap<EventDataStore, Trail>();
  return {
    storesFor(account, region) {
      const all = repo.allStores();
      if (all !== seen) {
        seen = all;
        stores = all.filter((s) => s.status === 'ENABLED' &&
          s.advancedEventSelectors.some((sel) => sel.FieldSelectors?.some((f) => f.Field === 'eventCategory' && f.Equals?.includes('Data'))));
      }
      return stores.filter((s) => s.account === account && (s.region === region || s.multiRegionEnabled));
    },
    selects(store, record) {
      let t = asTrail.get(store);
      if (!t) {
        // The trails' matcher, over the store's advanced selectors (same semantics on AWS).
        t = { advancedEventSelectors: store.advancedEventSelectors, insightSelectors: [] } as unknown as Trail;
        asTrail.set(store, t);
      }
      return trailSelects(t, record);
    },
  };
}
