// The delivery errors Firehose logged to the stream's CloudWatch Logs group and stream (its
// CloudWatchLoggingOptions), newest first, over the monitoring range.
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLoggingOptions } from '@aws-sdk/client-firehose';
import { useSession } from '../app-context.ts';
import { href } from '../router.ts';
import { formatTime, resolveRange } from '../time.ts';
import { AsyncView, Link, useAsync } from '../ui.tsx';

/** The error log keeps the newest events shown to this many. */
const MAX_EVENTS = 200;

async function errorEvents(logs: CloudWatchLogsClient, group: string, stream: string, range: string) {
  const { start, end } = resolveRange(range);
  const out: { timestamp?: number; message?: string }[] = [];
  let token: string | undefined;
  try {
    do {
      const r = await logs.send(new FilterLogEventsCommand({
        logGroupName: group, logStreamNames: [stream], startTime: start.getTime(), endTime: end.getTime(), nextToken: token,
      }));
      out.push(...(r.events ?? []));
      token = r.nextToken;
    } while (token && out.length < 10 * MAX_EVENTS);
  } catch (e) {
    // Firehose creates the group and stream with the first error it logs: none yet means no errors.
    if ((e as { name?: string }).name === 'ResourceNotFoundException') return [];
    throw e;
  }
  return out.sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0)).slice(0, MAX_EVENTS);
}

function pretty(message: string | undefined): string {
  try {
    return JSON.stringify(JSON.parse(message ?? ''), null, 2);
  } catch {
    return message ?? '';
  }
}

export function DeliveryErrors({ logging, range }: { logging: CloudWatchLoggingOptions | undefined; range: string }) {
  const c = useSession();
  const group = logging?.Enabled ? logging.LogGroupName : undefined;
  const stream = logging?.LogStreamName ?? '';
  const events = useAsync(() => (group ? errorEvents(c.logs, group, stream, range) : Promise.resolve([])), [group, stream, range]);
  return (
    <div className="panel">
      <h3>Delivery errors</h3>
      {!group ? <p className="muted">Error logging is off for this stream: Firehose logs no delivery errors.</p> : (
        <>
          <p className="hint">From <Link to={href('/logs', { group, stream })}>{group} / {stream}</Link></p>
          <AsyncView state={events} isEmpty={(e) => e.length === 0} empty="No delivery errors in this time range.">
            {(list) => (
              <table aria-label="Delivery errors">
                <thead><tr><th>Time</th><th>Error</th></tr></thead>
                <tbody>{list.map((e, i) => (
                  <tr key={`${e.timestamp}-${i}`}><td style={{ whiteSpace: 'nowrap' }}>{formatTime(e.timestamp)}</td><td><pre style={{ margin: 0 }}>{pretty(e.message)}</pre></td></tr>
                ))}</tbody>
              </table>
            )}
          </AsyncView>
        </>
      )}
    </div>
  );
}
