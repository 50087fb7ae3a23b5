// The queue table: type, approximate message counts, created, and each queue's actions.
import { useState } from 'react';
import { href } from '../router.ts';
import { formatTime } from '../time.ts';
import { AsyncView, Link, Notice, type Async } from '../ui.tsx';
import { epoch, isFifo, queueName, redrivePolicy, type QueueInfo } from './queues-api.ts';
import { QueueActionDialog, type QueueAction } from './queues-actions.tsx';

export function QueueList({ queues }: { queues: Async<QueueInfo[]> }) {
  const [pending, setPending] = useState<QueueAction>();
  const [done, setDone] = useState<string>();
  return (
    <div className="panel">
      {done && <Notice>{done}</Notice>}
      <AsyncView state={queues} isEmpty={(l) => l.length === 0} empty="No queues yet. Create one below.">
        {(list) => (
          <table aria-label="Queues">
            <thead><tr>
              <th>Name</th><th>Type</th><th>Messages available</th><th>Messages in flight</th><th>Messages delayed</th>
              <th>Dead-letter queue</th><th>Created</th><th />
            </tr></thead>
            <tbody>{list.map((q) => (
              <tr key={q.url}>
                <td><Link to={href('/queues', { queue: q.url })}>{q.name}</Link></td>
                <td>{isFifo(q.attrs) ? 'FIFO' : 'Standard'}</td>
                <td>{q.attrs.ApproximateNumberOfMessages ?? '—'}</td>
                <td>{q.attrs.ApproximateNumberOfMessagesNotVisible ?? '—'}</td>
                <td>{q.attrs.ApproximateNumberOfMessagesDelayed ?? '—'}</td>
                <td>{queueName(redrivePolicy(q.attrs)?.deadLetterTargetArn ?? '') || '—'}</td>
                <td>{formatTime(epoch(q.attrs.CreatedTimestamp, 's'))}</td>
                <td style={{ whiteSpace: 'nowrap' }}>
                  <Link to={href('/queues', { queue: q.url, tab: 'messages' })}>Send and receive</Link>{' '}
                  <button type="button" aria-label={`Purge ${q.name}`} onClick={() => setPending({ kind: 'purge', url: q.url })}>Purge</button>{' '}
                  <button type="button" aria-label={`Delete ${q.name}`} onClick={() => setPending({ kind: 'delete', url: q.url })}>Delete</button>
                </td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
      {pending && (
        <QueueActionDialog action={pending} onClose={() => setPending(undefined)}
          onDone={(a) => (setDone(`${a.kind === 'purge' ? 'Purged' : 'Deleted'} queue ${queueName(a.url)}`), queues.reload())} />
      )}
    </div>
  );
}
