/**
 * The module's hook on every API call: builds the record and, for management events always and for
 * data events only when a logging trail selects them, makes it durable before the call is answered.
 */
import type { AuditSink } from '../../../protocol/audit.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { buildRecord } from '../record/build.ts';
import { trailSelects } from '../trails/selectors.ts';

export function callRecorder(deps: Pick<CloudTrailDeps, 'recorder' | 'trails'>): AuditSink {
  return {
    record(call) {
      const record = buildRecord(call);
      if (!record) return;
      if (record.eventCategory === 'Data' && !deps.trails.trailsFor(record.recipientAccountId, record.awsRegion).some((t) => trailSelects(t, record))) return;
      return deps.recorder.append([{ record, eventTime: call.eventTime }]);
    },
  };
}
