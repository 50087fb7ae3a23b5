import type { SequenceGenerator } from '../../lib/ids.ts';
import type { LogEventStore } from '../../store/telemetry/log-events.ts';
import type { LogsMetaRepo } from '../../store/meta/logs.ts';

/** What the Logs handlers need from the outside world; injected so tests can swap pieces. */
export interface LogsDeps {
  meta: LogsMetaRepo;
  events: LogEventStore;
  seq: SequenceGenerator;
}
