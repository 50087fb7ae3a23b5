/**
 * The module's hook on every API call: builds the record and, for management events always and for
 * data events only when someone selects them (a logging trail, or an enabled Lake event data store
 * whose advanced selectors take data events), makes it durable before the call is answered.
 */
import type { AuditSink } from '../../../protocol/audit.ts';
import type { CloudTrailDeps } from '../deps.ts';
import type { LakeDataEvents } from '../lake/data-events.ts';
import { buildRecord } from '../record/build.ts';
import { DATA_EVENTS } from '../record/catalog.ts';
import type { CloudTrailRecord } from '../record/types.ts';
import { trailSelects } from '../trails/selectors.ts';

export function callRecorder(deps: Pick<CloudTrailDeps, 'recorder' | 'trails'>, lake: LakeDataEvents): AuditSink {
  return {
    record(call) {
      const data = DATA_EVENTS[`${call.service}.${call.operation}`] !== undefined;
      if (!data) {
        const record = buildRecord(call);
        return record ? deps.recorder.append([{ record, eventTime: call.eventTime }]) : undefined;
      }
      // Data calls are the hot path (PutLogEvents, PutMetricData): with nobody interested in the
      // scope there is nothing to build.
      const trails = deps.trails.trailsFor(call.account, call.region).filter((t) => t.logging);
      const stores = lake.storesFor(call.account, call.region);
      if (trails.length === 0 && stores.length === 0) return;
      const record = buildRecord(call);
      if (!record) return;
      const wanted = (r: CloudTrailRecord) => trails.some((t) => trailSelects(t, r)) || stores.some((s) => lake.selects(s, r));
      if (!wanted(record)) return;
      return deps.recorder.append([{ record, eventTime: call.eventTime }]);
    },
  };
}
