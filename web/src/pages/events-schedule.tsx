// The next five fire times of a scheduled rule, computed in the browser with the server's own
// schedule library (src/lib/schedule, pure: no clock, no I/O), so the console and the scheduler agree
// on what rate() and cron() mean. Rule schedules are UTC.
import { useMemo, useState } from 'react';
import { InvalidSchedule, nextFireTimes, parseRuleSchedule } from '../../../src/lib/schedule/index.ts';
import { formatTime } from '../time.ts';

const COUNT = 5;

export function NextFireTimes({ expression }: { expression: string }) {
  const [now] = useState(Date.now);
  const result = useMemo(() => {
    try {
      // A rule's rate counts from its creation time, which the API does not return; from the epoch,
      // a rate lands on whole minutes / hours / days of UTC (the spacing is the same either way).
      return { times: nextFireTimes(parseRuleSchedule(expression), { after: now, count: COUNT }) };
    } catch (e) {
      if (e instanceof InvalidSchedule) return { error: e.detail ? `${e.message} (${e.detail})` : e.message };
      throw e;
    }
  }, [expression, now]);
  if (result.error) return <p className="muted">{result.error}</p>;
  return (
    <>
      <h4>Next {COUNT} fire times</h4>
      <ol aria-label="Next fire times">
        {result.times!.map((t) => <li key={t}><time dateTime={new Date(t).toISOString()}>{formatTime(new Date(t))}</time></li>)}
      </ol>
      {expression.startsWith('rate(') && (
        <p className="hint">The server counts a rate from the rule's creation time, which the API does not return: the times are shown on the UTC grid, with the same spacing.</p>
      )}
    </>
  );
}
