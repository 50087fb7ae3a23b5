// The next fire times of a Scheduler schedule, from the same schedule library the EventBridge page's
// NextFireTimes and the server's runner use (src/lib/schedule: pure, no clock, no I/O). Unlike a
// rule, a schedule has a time zone (cron and at), a start and end date, and a rate that counts from
// its StartDate, else its creation time — all of which GetSchedule returns, so the times are exact.
import { useMemo, useState } from 'react';
import { InvalidSchedule, isValidTimezone, nextFireTimes, parseSchedulerExpression } from '../../../src/lib/schedule/index.ts';
import { formatTime } from '../time.ts';

const COUNT = 5;

export interface Timing {
  expression: string;
  timezone?: string;
  /** Epoch ms (numbers, so a form re-rendering does not recompute). */
  startDate?: number;
  endDate?: number;
  /** rate(): counted from StartDate, else this (the creation time; "now" for a schedule not yet created). */
  createdAt?: number;
}

function compute(t: Timing, now: number): { times: number[] } | { error: string } {
  const tz = t.timezone || 'UTC';
  if (!isValidTimezone(tz)) return { error: `Unknown time zone ${tz}: use an IANA name such as Europe/Paris.` };
  try {
    const schedule = parseSchedulerExpression(t.expression);
    const times = nextFireTimes(schedule, {
      after: now, count: COUNT, timezone: tz,
      anchor: t.startDate ?? t.createdAt ?? now, startDate: t.startDate, endDate: t.endDate,
    });
    return { times };
  } catch (e) {
    if (e instanceof InvalidSchedule) return { error: e.detail ? `${e.message} (${e.detail})` : e.message };
    throw e;
  }
}

export function ScheduleFireTimes({ timing }: { timing: Timing }) {
  const [now] = useState(Date.now);
  const { expression, timezone, startDate, endDate, createdAt } = timing;
  const result = useMemo(
    () => compute({ expression, timezone, startDate, endDate, createdAt }, now),
    [expression, timezone, startDate, endDate, createdAt, now],
  );
  if ('error' in result) return <p className="muted" role="status" aria-label="Fire time check">{result.error}</p>;
  const one = expression.startsWith('at(');
  return (
    <>
      <h4>{one ? 'Fire time' : `Next ${COUNT} fire times`}</h4>
      {result.times.length === 0 ? <p className="muted">No future fire times{one ? ': the time has passed.' : ' before the end date.'}</p> : (
        <ol aria-label="Next fire times">
          {result.times.map((t) => <li key={t}><time dateTime={new Date(t).toISOString()}>{formatTime(new Date(t))}</time></li>)}
        </ol>
      )}
      <p className="hint">Scheduled times in {timezone || 'UTC'}, shown in the console's time zone; a flexible window may delay each invocation.</p>
    </>
  );
}
