// SQS queues: the list (type, messages available / in flight / delayed, created; purge and delete
// behind a confirmation) with a create form, and a queue's page (details, send and receive, policy,
// tags, dead-letter settings and DLQ redrive). The URL holds `queue` (its URL) and `tab`.
import { useQueryState } from '../router.ts';
import { CreateQueueForm } from './queues-create.tsx';
import { QueueDetail } from './queues-detail.tsx';
import { QueueList } from './queues-list.tsx';
import { listQueues, useSqs } from './queues-api.ts';
import { useAsync, useInterval } from '../ui.tsx';

export default function Queues() {
  const [q] = useQueryState();
  const queue = q.get('queue');
  return queue ? <QueueDetail key={queue} url={queue} /> : <QueuesHome />;
}

function QueuesHome() {
  const sqs = useSqs();
  const queues = useAsync(() => listQueues(sqs), [sqs]);
  // Message counts move on their own; AWS's console refreshes its list the same way.
  useInterval(queues.reload, 15_000);
  return (
    <>
      <div className="toolbar">
        <h2>Queues</h2>
        <button type="button" onClick={queues.reload}>Refresh</button>
      </div>
      <QueueList queues={queues} />
      <CreateQueueForm queues={queues.data ?? []} onCreated={queues.reload} />
    </>
  );
}
