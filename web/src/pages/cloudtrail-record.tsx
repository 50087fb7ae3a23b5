// One event of the history: its table row (time, name, user, source, resources, error code) that
// expands to the whole CloudTrail record as pretty-printed JSON, with "Show in Logs Insights" for
// that event name.
import type { Event } from '@aws-sdk/client-cloudtrail';
import { formatTime } from '../time.ts';
import { prettyRecord } from './cloudtrail-api.ts';
import { ShowInInsights, type InsightsTarget } from './cloudtrail-insights-link.tsx';

export const HISTORY_COLUMNS = ['Event time', 'Event name', 'User name', 'Event source', 'Resource type', 'Resource name', 'Error code'];

/** errorCode is in the record only; a record that does not parse has none. */
function errorCodeOf(e: Event): string {
  try {
    const code = (JSON.parse(e.CloudTrailEvent ?? '{}') as { errorCode?: unknown }).errorCode;
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}

const joined = (values: (string | undefined)[]) => [...new Set(values.filter(Boolean))].join(', ');

export function EventRows({ event: e, open, onToggle, range, target }: {
  event: Event; open: boolean; onToggle: () => void; range: string; target: InsightsTarget;
}) {
  const resources = e.Resources ?? [];
  return (
    <>
      <tr className="expandable" tabIndex={0} aria-expanded={open} onClick={onToggle}
        onKeyDown={(k) => (k.key === 'Enter' || k.key === ' ') && (k.preventDefault(), onToggle())}>
        <td>{open ? '▾' : '▸'} {formatTime(e.EventTime)}</td>
        <td>{e.EventName}</td>
        <td>{e.Username ?? ''}</td>
        <td>{e.EventSource}</td>
        <td>{joined(resources.map((r) => r.ResourceType))}</td>
        <td className="msg">{joined(resources.map((r) => r.ResourceName))}</td>
        <td>{errorCodeOf(e)}</td>
      </tr>
      {open && (
        <tr className="detail">
          <td colSpan={HISTORY_COLUMNS.length}>
            <div className="toolbar" style={{ marginBottom: 4 }}>
              <strong>{e.EventName}</strong>
              <span className="muted">Event ID <code>{e.EventId}</code>{e.AccessKeyId ? <> · access key <code>{e.AccessKeyId}</code></> : null} · read-only {e.ReadOnly}</span>
              <span className="spacer" />
              <ShowInInsights eventName={e.EventName} range={range} target={target} />
            </div>
            <pre aria-label="Event record" style={{ margin: 0 }}>{prettyRecord(e.CloudTrailEvent)}</pre>
          </td>
        </tr>
      )}
    </>
  );
}
