// Event history: LookupEvents with the AWS console's filter (one lookup attribute and its value) and
// time range, newest first, PAGE_SIZE events a page with "Load more" following NextToken. Each row
// expands to its record. The URL holds attr, value and range, so a filtered view is a link.
import { useState } from 'react';
import { LookupEventsCommand, type Event, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { useQueryState } from '../router.ts';
import { Empty, ErrorBox, Link, Loading, useAsync } from '../ui.tsx';
import { resolveRange } from '../time.ts';
import { LOOKUP_ATTRIBUTES, useCloudTrail } from './cloudtrail-api.ts';
import { CloudTrailRange } from './cloudtrail-range.tsx';
import { EventRows, HISTORY_COLUMNS } from './cloudtrail-record.tsx';
import { ShowInInsights, useInsightsTarget } from './cloudtrail-insights-link.tsx';
import { cloudTrailSql } from './sql-links.ts';

const PAGE_SIZE = 50;

/** A result and how it was asked: NextToken is only valid with the same StartTime and EndTime. */
interface Loaded { events: Event[]; next?: string; start: Date; end: Date }

function FilterForm({ attr, value }: { attr: string; value: string }) {
  const [, setQ] = useQueryState();
  const [key, setKey] = useState(attr || 'EventName');
  const spec = LOOKUP_ATTRIBUTES.find((a) => a.key === key) ?? LOOKUP_ATTRIBUTES[0];
  return (
    <form className="toolbar" aria-label="Filter events" style={{ margin: 0 }} onSubmit={(e) => {
      e.preventDefault();
      const v = String(new FormData(e.currentTarget).get('value') ?? '').trim();
      setQ({ attr: v ? key : undefined, value: v }, true);
    }}>
      <select aria-label="Lookup attribute" value={key} onChange={(e) => setKey(e.target.value)}>
        {LOOKUP_ATTRIBUTES.map((a) => <option key={a.key} value={a.key}>{a.label}</option>)}
      </select>
      {key === 'ReadOnly' ? (
        <select name="value" aria-label="Attribute value" defaultValue={attr === 'ReadOnly' ? value : 'false'}>
          <option value="true">true</option><option value="false">false</option>
        </select>
      ) : (
        <input key={key} name="value" aria-label="Attribute value" placeholder={`Enter ${spec.label.toLowerCase()}, e.g. ${spec.placeholder}`}
          defaultValue={key === attr ? value : ''} style={{ minWidth: 260 }} />
      )}
      <button type="submit" className="primary">Apply</button>
      {attr && <button type="button" onClick={() => setQ({ attr: undefined, value: undefined }, true)}>Clear filter</button>}
    </form>
  );
}

/** The first page follows the filter; "Load more" appends pages to the result they continue. */
function useHistory(attr: string, value: string, range: string) {
  const ct = useCloudTrail();
  const lookup = async (start: Date, end: Date, token?: string) => {
    const r = await ct.send(new LookupEventsCommand({
      LookupAttributes: attr && value ? [{ AttributeKey: attr as LookupAttributeKey, AttributeValue: value }] : undefined,
      StartTime: start, EndTime: end, MaxResults: PAGE_SIZE, NextToken: token,
    }));
    return { events: r.Events ?? [], next: r.NextToken };
  };
  const first = useAsync<Loaded>(async () => {
    const { start, end } = resolveRange(range);
    return { ...(await lookup(start, end)), start, end };
  }, [attr, value, range]);
  const [more, setMore] = useState<{ of: Loaded; loaded: Loaded }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const shown = more && more.of === first.data ? more.loaded : first.data;
  const loadMore = async () => {
    if (!shown?.next || !first.data) return;
    setBusy(true);
    setError(undefined);
    try {
      const page = await lookup(shown.start, shown.end, shown.next);
      setMore({ of: first.data, loaded: { ...shown, events: [...shown.events, ...page.events], next: page.next } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { first, shown, busy, error, loadMore };
}

export function HistoryTab() {
  const [q, setQ] = useQueryState();
  const attr = q.get('attr') ?? '';
  const value = q.get('value') ?? '';
  const range = q.get('range') ?? '1d';
  const { first, shown, busy, error, loadMore } = useHistory(attr, value, range);
  const [open, setOpen] = useState<string>();
  const target = useInsightsTarget();
  return (
    <>
      <div className="toolbar">
        <FilterForm key={`${attr}|${value}`} attr={attr} value={value} />
        <span className="spacer" />
        <CloudTrailRange value={range} onChange={(r) => setQ({ range: r }, true)} />
        <button type="button" onClick={first.reload} disabled={first.loading}>Refresh</button>
        <ShowInInsights eventName={attr === 'EventName' ? value : undefined} range={range} target={target} />
        <Link to={cloudTrailSql()}>Open in SQL</Link>
      </div>
      <ErrorBox error={first.error} />
      {!first.error && !shown && <Loading what="Looking up events" />}
      {shown && (shown.events.length === 0 ? <Empty>No events match this filter and time range.</Empty> : (
        <>
          <table aria-label="Events">
            <thead><tr>{HISTORY_COLUMNS.map((h) => <th key={h}>{h}</th>)}</tr></thead>
            <tbody>
              {shown.events.map((e) => (
                <EventRows key={e.EventId} event={e} open={open === e.EventId} range={range} target={target}
                  onToggle={() => setOpen(open === e.EventId ? undefined : e.EventId)} />
              ))}
            </tbody>
          </table>
          <div className="toolbar" style={{ marginTop: 8 }}>
            <span className="muted" role="status">{shown.events.length === 1 ? '1 event' : `${shown.events.length} events`}{shown.next ? ', more available' : ''}</span>
            {shown.next && <button type="button" onClick={() => void loadMore()} disabled={busy}>{busy ? 'Loading…' : 'Load more'}</button>}
          </div>
          <ErrorBox error={error} />
        </>
      ))}
    </>
  );
}
