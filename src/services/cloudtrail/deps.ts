import type { Env } from '../../server/module.ts';
import type { ExportDestinations } from '../../store/buckets/sinks.ts';
import type { TrailEventStore } from '../../store/telemetry/trail-events.ts';
import type { TrailRecorder } from './recorder/recorder.ts';
import type { TrailRepo } from './trails/types.ts';

/** What CloudTrail's parts share. Each part takes the slice it needs. */
export interface CloudTrailDeps {
  env: Env;
  /** Stored records (event history, delivery reads by seq, Lake). */
  events: TrailEventStore;
  /** Makes records durable (WAL) and stores them; Insights appends its events through it. */
  recorder: TrailRecorder;
  trails: TrailRepo;
  /** The operator's buckets (`export.buckets`): trail log files and digests are written there. */
  buckets: ExportDestinations;
}
