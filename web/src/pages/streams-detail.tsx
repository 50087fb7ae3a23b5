// A stream's page: its summary, and tabs for the data viewer (with "put a test record"), the shards,
// and configuration (shard count, retention).
import { useQueryState } from '../router.ts';
import { formatTime } from '../time.ts';
import { AsyncView, Link, StateBadge, useAsync, useInterval } from '../ui.tsx';
import { describeStream, modeOf, useKinesis } from './streams-api.ts';
import { StreamConfig } from './streams-config.tsx';
import { ShardTable } from './streams-shards.tsx';
import { DataViewer } from './streams-viewer.tsx';

const TABS = { viewer: 'Data viewer', shards: 'Shards', configuration: 'Configuration' } as const;
type Tab = keyof typeof TABS;

export function StreamDetail({ name }: { name: string }) {
  const k = useKinesis();
  const [q, setQ] = useQueryState();
  const tab: Tab = (q.get('tab') as Tab) in TABS ? (q.get('tab') as Tab) : 'viewer';
  const summary = useAsync(() => describeStream(k, name), [name]);
  useInterval(summary.reload, summary.data && summary.data.StreamStatus !== 'ACTIVE' ? 2_000 : 0);
  return (
    <>
      <div className="toolbar">
        <Link to="/streams">Data streams</Link> <span className="muted">/</span>
        <h2>{name}</h2>
        {summary.data && <StateBadge state={summary.data.StreamStatus} />}
        <span style={{ flex: 1 }} />
        <button type="button" onClick={summary.reload}>Refresh</button>
      </div>
      <AsyncView state={summary}>
        {(s) => (
          <>
            <div className="panel">
              <table aria-label="Stream summary">
                <tbody>
                  <tr><th scope="row">ARN</th><td className="msg">{s.StreamARN}</td><th scope="row">Capacity mode</th><td>{modeOf(s)}</td></tr>
                  <tr><th scope="row">Open shards</th><td>{s.OpenShardCount}</td><th scope="row">Data retention</th><td>{s.RetentionPeriodHours} hours</td></tr>
                  <tr><th scope="row">Created</th><td>{formatTime(s.StreamCreationTimestamp)}</td><th scope="row">Consumers (enhanced fan-out)</th><td>{s.ConsumerCount ?? 0}</td></tr>
                </tbody>
              </table>
            </div>
            <div className="range" role="tablist" aria-label="Stream sections" style={{ marginBottom: 12 }}>
              {(Object.keys(TABS) as Tab[]).map((t) => (
                <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'active' : ''}
                  onClick={() => setQ({ tab: t === 'viewer' ? undefined : t })}>{TABS[t]}</button>
              ))}
            </div>
            <div role="tabpanel" aria-label={TABS[tab]}>
              {tab === 'viewer' && <DataViewer name={name} />}
              {tab === 'shards' && <ShardTable name={name} />}
              {tab === 'configuration' && <StreamConfig summary={s} onChanged={summary.reload} />}
            </div>
          </>
        )}
      </AsyncView>
    </>
  );
}
