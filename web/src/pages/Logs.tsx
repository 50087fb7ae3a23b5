// Logs: groups (retention, stored bytes) → streams → events, with filter patterns and live tail.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  CreateLogGroupCommand, DescribeLogGroupsCommand, paginateDescribeLogGroups, DescribeLogStreamsCommand, FilterLogEventsCommand,
  GetLogEventsCommand, PutRetentionPolicyCommand, DeleteRetentionPolicyCommand, StartLiveTailCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { href, useQueryState } from '../router.ts';
import { formatBytes, formatTime } from '../time.ts';
import { AsyncView, Empty, ErrorBox, Link, Loading, useAsync } from '../ui.tsx';
import { logGroupSql } from './sql-links.ts';

const RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export default function Logs() {
  const [q] = useQueryState();
  const group = q.get('group');
  return group ? <GroupView group={group} /> : <GroupList />;
}

function GroupList() {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const prefix = q.get('prefix') ?? '';
  const groups = useAsync(
    () => collect(paginateDescribeLogGroups({ client: c.logs }, { logGroupNamePrefix: prefix || undefined }), (r) => r.logGroups, 1000),
    [prefix],
  );
  const [createError, setCreateError] = useState<unknown>();
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get('name')).trim();
    setCreateError(undefined);
    try {
      await c.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
      form.reset();
      groups.reload();
    } catch (err) {
      setCreateError(err);
    }
  };
  return (
    <>
      <div className="toolbar">
        <h2>Log groups</h2>
        <input type="search" placeholder="Filter by prefix" aria-label="Log group prefix" defaultValue={prefix}
          onChange={(e) => setQ({ prefix: e.target.value })} />
        <form onSubmit={create} className="toolbar" style={{ margin: 0 }}>
          <input name="name" placeholder="New log group name" aria-label="New log group name" required />
          <button type="submit">Create log group</button>
        </form>
      </div>
      <ErrorBox error={createError} />
      <div className="panel">
        <AsyncView state={groups} isEmpty={(g) => g.length === 0} empty="No log groups. Create one above, or send logs with any AWS client.">
          {(g) => (
            <table aria-label="Log groups">
              <thead><tr><th>Name</th><th>Retention</th><th>Stored bytes</th><th>Created</th></tr></thead>
              <tbody>
                {g.map((lg) => (
                  <tr key={lg.logGroupName}>
                    <td><Link to={href('/logs', { group: lg.logGroupName })}>{lg.logGroupName}</Link></td>
                    <td>{lg.retentionInDays ? `${lg.retentionInDays} days` : 'Never expire'}</td>
                    <td>{formatBytes(lg.storedBytes)}</td>
                    <td>{formatTime(lg.creationTime)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </AsyncView>
      </div>
    </>
  );
}

function GroupView({ group }: { group: string }) {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const stream = q.get('stream') ?? '';
  const filter = q.get('filter') ?? '';
  const tail = q.get('tail') === '1';
  const info = useAsync(async () => (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups?.find((g) => g.logGroupName === group), [group]);
  const streams = useAsync(async () => (await c.logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: 50 }))).logStreams ?? [], [group]);
  const [retError, setRetError] = useState<unknown>();
  const setRetention = async (days: string) => {
    setRetError(undefined);
    try {
      if (days) await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: Number(days) }));
      else await c.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: group }));
      info.reload();
    } catch (e) {
      setRetError(e);
    }
  };
  return (
    <>
      <div className="toolbar">
        <Link to="/logs">← Log groups</Link>
        <h2>{group}</h2>
        {info.data && (
          <>
            <label>Retention{' '}
              <select aria-label="Retention" value={info.data.retentionInDays ?? ''} onChange={(e) => void setRetention(e.target.value)}>
                <option value="">Never expire</option>
                {RETENTION.map((d) => <option key={d} value={d}>{d} days</option>)}
              </select>
            </label>
            <span className="muted">{formatBytes(info.data.storedBytes)} stored</span>
          </>
        )}
        <Link to={href('/insights', { groups: group })}>Query with Insights</Link>
        <Link to={logGroupSql(group)}>Open in SQL</Link>
      </div>
      <ErrorBox error={retError ?? info.error} />
      <div className="cols">
        <div className="panel">
          <h3>Streams</h3>
          <AsyncView state={streams} isEmpty={(s) => s.length === 0} empty="No streams yet.">
            {(s) => (
              <ul className="list" aria-label="Log streams">
                <li><a href="#" className={stream ? '' : 'active'} onClick={(e) => (e.preventDefault(), setQ({ stream: undefined }, true))}>All streams</a></li>
                {s.map((ls) => (
                  <li key={ls.logStreamName}>
                    <a href="#" onClick={(e) => (e.preventDefault(), setQ({ stream: ls.logStreamName }, true))}
                      style={{ fontWeight: ls.logStreamName === stream ? 600 : undefined }}>{ls.logStreamName}</a>
                    <span className="muted">{formatTime(ls.lastEventTimestamp)}</span>
                  </li>
                ))}
              </ul>
            )}
          </AsyncView>
        </div>
        <div className="panel">
          <div className="toolbar">
            <input type="search" aria-label="Filter pattern" placeholder='Filter pattern, e.g. ERROR or { $.level = "error" }' defaultValue={filter}
              style={{ flex: 1 }} onKeyDown={(e) => e.key === 'Enter' && setQ({ filter: e.currentTarget.value }, true)} />
            <button type="button" className={tail ? 'active' : ''} onClick={() => setQ({ tail: tail ? undefined : '1' }, true)}>
              {tail ? 'Stop live tail' : 'Live tail'}
            </button>
          </div>
          {tail ? <LiveTail arn={info.data?.logGroupArn} filter={filter} stream={stream} />
            : <Events key={`${group}|${stream}|${filter}`} group={group} stream={stream} filter={filter} />}
        </div>
      </div>
    </>
  );
}

interface Ev { id: string; timestamp?: number; message?: string; stream?: string }

/** Events with infinite scroll: a sentinel row loads the next page when it scrolls into view. */
function Events({ group, stream, filter }: { group: string; stream: string; filter: string }) {
  const c = useSession();
  const [events, setEvents] = useState<Ev[]>([]);
  const [token, setToken] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const sentinel = useRef<HTMLDivElement>(null);

  const loadMore = async () => {
    if (busy || done) return;
    setBusy(true);
    try {
      if (stream && !filter) {
        const r = await c.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token, limit: 200 }));
        const batch = (r.events ?? []).map((e, i) => ({ id: `${token}-${i}`, timestamp: e.timestamp, message: e.message }));
        setEvents((old) => [...old, ...batch]);
        // GetLogEvents returns the same forward token at the end of the stream.
        if (r.nextForwardToken === token || batch.length === 0) setDone(true);
        setToken(r.nextForwardToken);
      } else {
        const r = await c.logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: stream ? [stream] : undefined, filterPattern: filter || undefined, nextToken: token, limit: 200 }));
        setEvents((old) => [...old, ...(r.events ?? []).map((e) => ({ id: e.eventId!, timestamp: e.timestamp, message: e.message, stream: e.logStreamName }))]);
        if (!r.nextToken) setDone(true);
        setToken(r.nextToken);
      }
    } catch (e) {
      setError(e);
      setDone(true);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const io = new IntersectionObserver((entries) => entries[0].isIntersecting && void loadMore());
    if (sentinel.current) io.observe(sentinel.current);
    return () => io.disconnect();
  });

  return (
    <>
      <ErrorBox error={error} />
      {events.length > 0 ? <EventTable events={events} showStream={!stream} /> : done && !error && <Empty>No events{filter ? ' match this filter pattern' : ''}.</Empty>}
      {busy && <Loading what="Loading events" />}
      {!done && <div ref={sentinel} style={{ height: 1 }} />}
      {done && events.length > 0 && <div className="muted">End of events.</div>}
    </>
  );
}

function EventTable({ events, showStream }: { events: Ev[]; showStream: boolean }) {
  const [open, setOpen] = useState<string | undefined>();
  return (
    <table aria-label="Log events">
      <thead><tr><th style={{ width: 190 }}>Timestamp</th>{showStream && <th>Stream</th>}<th>Message</th></tr></thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} className="expandable" tabIndex={0} onClick={() => setOpen(open === e.id ? undefined : e.id)}
            onKeyDown={(k) => k.key === 'Enter' && setOpen(open === e.id ? undefined : e.id)}>
            <td>{formatTime(e.timestamp, true)}</td>
            {showStream && <td>{e.stream}</td>}
            <td className="msg">{open === e.id ? pretty(e.message) : e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const pretty = (m = '') => {
  try {
    return JSON.stringify(JSON.parse(m), null, 2);
  } catch {
    return m;
  }
};

/** StartLiveTail over the SDK's event stream; the session ends when this view unmounts. */
function LiveTail({ arn, filter, stream }: { arn?: string; filter: string; stream: string }) {
  const c = useSession();
  const [events, setEvents] = useState<Ev[]>([]);
  const [status, setStatus] = useState('Starting live tail…');
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!arn) return;
    const abort = new AbortController();
    let n = 0;
    void (async () => {
      try {
        const r = await c.tail.send(new StartLiveTailCommand({
          logGroupIdentifiers: [arn.replace(/:\*$/, '')], logEventFilterPattern: filter || undefined, logStreamNames: stream ? [stream] : undefined,
        }), { abortSignal: abort.signal });
        for await (const ev of r.responseStream!) {
          if (ev.sessionStart) setStatus('Live tail running: new events appear as they arrive.');
          const batch = (ev.sessionUpdate?.sessionResults ?? []).map((e) => ({ id: String(n++), timestamp: e.timestamp, message: e.message, stream: e.logStreamName }));
          if (batch.length) setEvents((old) => [...batch.reverse(), ...old].slice(0, 2000));
        }
      } catch (e) {
        if (!abort.signal.aborted) setError(e);
      }
    })();
    return () => abort.abort();
  }, [c, arn, filter, stream]);
  return (
    <>
      <div className="muted" role="status">{status} <span data-testid="tail-count">{events.length}</span> events</div>
      <ErrorBox error={error} />
      {events.length > 0 && <EventTable events={events} showStream />}
      {!arn && !error && <Loading />}
    </>
  );
}
