// The delivery stream table: status, source, destination, created, and delete.
import { useState } from 'react';
import { DeleteDeliveryStreamCommand, type DeliveryStreamDescription } from '@aws-sdk/client-firehose';
import { href } from '../router.ts';
import { formatTime } from '../time.ts';
import { AsyncView, ConfirmDialog, Link, Notice, StateBadge, type Async } from '../ui.tsx';
import { destinationOf, sourceOf, useFirehose } from './delivery-api.ts';

export function DeliveryStreamList({ streams }: { streams: Async<DeliveryStreamDescription[]> }) {
  const f = useFirehose();
  const [deleting, setDeleting] = useState<string>();
  const [deleted, setDeleted] = useState<string>();
  return (
    <div className="panel">
      {deleted && <Notice>Deleting delivery stream {deleted}</Notice>}
      <AsyncView state={streams} isEmpty={(l) => l.length === 0} empty="No delivery streams yet. Create one below.">
        {(list) => (
          <table aria-label="Delivery streams">
            <thead><tr><th>Name</th><th>Status</th><th>Source</th><th>Destination</th><th>Created</th><th /></tr></thead>
            <tbody>{list.map((s) => {
              const d = destinationOf(s.Destinations?.[0]);
              return (
                <tr key={s.DeliveryStreamARN}>
                  <td><Link to={href('/delivery-streams', { stream: s.DeliveryStreamName })}>{s.DeliveryStreamName}</Link></td>
                  <td><StateBadge state={s.DeliveryStreamStatus} /></td>
                  <td>{sourceOf(s)}</td>
                  <td>{d.kind}{d.target && <div className="msg">{d.target}</div>}</td>
                  <td>{formatTime(s.CreateTimestamp)}</td>
                  <td><button type="button" aria-label={`Delete ${s.DeliveryStreamName}`} onClick={() => setDeleting(s.DeliveryStreamName)}>Delete</button></td>
                </tr>
              );
            })}</tbody>
          </table>
        )}
      </AsyncView>
      {deleting && (
        <ConfirmDialog title="Delete delivery stream" action="Delete" onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await f.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: deleting }));
            setDeleted(deleting);
            streams.reload();
          }}>
          Delete <strong>{deleting}</strong>? Records it has buffered but not yet delivered are lost.
        </ConfirmDialog>
      )}
    </div>
  );
}
