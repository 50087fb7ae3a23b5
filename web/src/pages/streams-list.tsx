// The stream table: status, capacity mode, open shards, retention, created, and delete.
import { useState } from 'react';
import { DeleteStreamCommand, type StreamDescriptionSummary } from '@aws-sdk/client-kinesis';
import { href } from '../router.ts';
import { formatTime } from '../time.ts';
import { AsyncView, ConfirmDialog, Link, Notice, StateBadge, type Async } from '../ui.tsx';
import { modeOf, useKinesis } from './streams-api.ts';

export function StreamList({ streams }: { streams: Async<StreamDescriptionSummary[]> }) {
  const k = useKinesis();
  const [deleting, setDeleting] = useState<string>();
  const [deleted, setDeleted] = useState<string>();
  return (
    <div className="panel">
      {deleted && <Notice>Deleting data stream {deleted}</Notice>}
      <AsyncView state={streams} isEmpty={(l) => l.length === 0} empty="No data streams yet. Create one below.">
        {(list) => (
          <table aria-label="Data streams">
            <thead><tr><th>Name</th><th>Status</th><th>Capacity mode</th><th>Open shards</th><th>Retention</th><th>Created</th><th /></tr></thead>
            <tbody>{list.map((s) => (
              <tr key={s.StreamARN}>
                <td><Link to={href('/streams', { stream: s.StreamName })}>{s.StreamName}</Link></td>
                <td><StateBadge state={s.StreamStatus} /></td>
                <td>{modeOf(s)}</td>
                <td>{s.OpenShardCount ?? '—'}</td>
                <td>{s.RetentionPeriodHours} hours</td>
                <td>{formatTime(s.StreamCreationTimestamp)}</td>
                <td style={{ whiteSpace: 'nowrap' }}>
                  <Link to={href('/streams', { stream: s.StreamName, tab: 'viewer' })}>Data viewer</Link>{' '}
                  <button type="button" aria-label={`Delete ${s.StreamName}`} onClick={() => setDeleting(s.StreamName)}>Delete</button>
                </td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
      {deleting && (
        <ConfirmDialog title="Delete data stream" action="Delete" onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await k.send(new DeleteStreamCommand({ StreamName: deleting, EnforceConsumerDeletion: true }));
            setDeleted(deleting);
            streams.reload();
          }}>
          Delete <strong>{deleting}</strong>, its records and its registered consumers? This cannot be undone.
        </ConfirmDialog>
      )}
    </div>
  );
}
