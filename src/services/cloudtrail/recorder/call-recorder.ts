/**
 * The module's hook on every API call: builds the record and, for management events always and for
 * data events only when a logging trail selects them, makes it durable before the call is answered.
 */
import type { AuditSink } from '../../../protocol/audit.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { buildRecord } from '../record/build.ts';
import { DATA_EVENTS } from '../record/catalog.ts';
import { trailSelects } from '../trails/selectors.ts';

export function callRecorder(deps: Pick<CloudTrailDeps, 'recorder' | 'trails'>): AuditSink {
  return {
    record(call) {
      // Data calls are the hot path (PutLogEvents, PutMetricData): with no logging trail in the
      // scope there is nothing to build.
      const data = DATA_EVENTS[`${call.service}.${call.operation}`] !== undefined;
      const trails = data ? deps.trails.trailsFor(call.account, call.region).filter((t) => t.logging) : [];
      if (data && trails.length === 0) return;
      const record = buildRecord(call);
      if (!record) return;
      if (data && !trails.some((t) => trailSelects(t, record))) return;
      return deps.recorder.append([{ record, eventTime: call.eventTime }]);
    },
  };
}
