/**
 * Settles traces into stored service-graph rows in the background (store/telemetry/
 * trace-graph-settle.ts), every few seconds; after a restart or a burst it catches up pass after
 * pass. With a shared ClickHouse server one node runs it (a lease).
 */
import { telemetryTaskOf } from '../../jobs/telemetry-task.ts';
import type { Env, Job } from '../../server/module.ts';
import { TraceGraphSettler } from '../../store/telemetry/trace-graph-settle.ts';
import type { TraceSegmentStore } from '../../store/telemetry/trace-segments.ts';

const INTERVAL_MS = 5_000;
/** Receive time one pass covers at most: a pass over a long backlog stays a few seconds of work. */
const MAX_SPAN_MS = 5 * 60_000;
/** Passes in one run while catching up, before yielding to the next interval. */
const CATCH_UP_PASSES = 12;

export function graphSettleJob(env: Env, segments: TraceSegmentStore): Job {
  const settler = new TraceGraphSettler(env.telemetry.engine, {
    settleDelayMs: env.config.xrayGraphSettleSeconds * 1000,
    maxSpanMs: MAX_SPAN_MS,
    oldestUnstored: () => segments.oldestUnstored(),
    now: () => env.clock.now(),
    onPass: (mark) => env.log.debug({ pass: mark.pass, upto: mark.upto }, 'trace graph settled'),
  });
  const task = telemetryTaskOf(env, 'xray-graph-settle', INTERVAL_MS, async () => {
    for (let i = 0; i < CATCH_UP_PASSES && (await settler.pass()); i++);
  });
  return { name: 'xray-graph-settle', start: () => task.start(), stop: () => task.stop() };
}
