/** GetTrailStatus, StartLogging, StopLogging. */
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { findTrail } from './names.ts';

type Deps = Pick<CloudTrailDeps, 'trails'>;

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
/** The string-typed members (LatestDeliveryAttemptTime…) are ISO-8601 without milliseconds; '' when never, as AWS answers. */
const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

export async function getTrailStatus(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'GetTrailStatus'>): Promise<CallOutput<'cloudtrail', 'GetTrailStatus'>> {
  const t = findTrail(deps.trails, ctx, input.Name);
  const s = await deps.trails.status(t.arn);
  const out: CallOutput<'cloudtrail', 'GetTrailStatus'> = {
    IsLogging: t.logging,
    LatestDeliveryError: s.latestDeliveryError,
    LatestDeliveryTime: date(s.latestDeliveryTime),
    StartLoggingTime: date(t.startLoggingTime),
    StopLoggingTime: date(t.stopLoggingTime),
    LatestCloudWatchLogsDeliveryError: s.latestCloudWatchLogsDeliveryError,
    LatestCloudWatchLogsDeliveryTime: date(s.latestCloudWatchLogsDeliveryTime),
    LatestDigestDeliveryTime: date(s.latestDigestDeliveryTime),
    LatestDigestDeliveryError: s.latestDigestDeliveryError,
    LatestDeliveryAttemptTime: iso(s.latestDeliveryAttemptTime),
    LatestNotificationTime: date(s.latestNotificationTime),
    LatestNotificationError: s.latestNotificationError,
    LatestNotificationAttemptTime: iso(s.latestNotificationAttemptTime),
    LatestNotificationAttemptSucceeded: iso(s.latestNotificationAttemptSucceeded),
    LatestDeliveryAttemptSucceeded: iso(s.latestDeliveryAttemptSucceeded),
    TimeLoggingStarted: iso(t.startLoggingTime),
    TimeLoggingStopped: iso(t.stopLoggingTime),
  };
  for (const k of Object.keys(out) as Array<keyof typeof out>) if (out[k] === undefined) delete out[k];
  return out;
}

async function setLogging(deps: Deps, ctx: Ctx, name: string | undefined, logging: boolean): Promise<void> {
  const t = findTrail(deps.trails, ctx, name, { home: true });
  // Starting a logging trail (or stopping a stopped one) changes nothing, as on AWS.
  if (t.logging === logging) return;
  const now = ctx.clock.now();
  await deps.trails.save({ ...t, logging, ...(logging ? { startLoggingTime: now } : { stopLoggingTime: now }) });
}

export async function startLogging(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'StartLogging'>): Promise<CallOutput<'cloudtrail', 'StartLogging'>> {
  await setLogging(deps, ctx, input.Name, true);
  return {};
}

export async function stopLogging(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'StopLogging'>): Promise<CallOutput<'cloudtrail', 'StopLogging'>> {
  await setLogging(deps, ctx, input.Name, false);
  return {};
}
