// Purge and delete, behind in-page confirmations, shared by the queue list and a queue's page.
import { DeleteQueueCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { ConfirmDialog } from '../ui.tsx';
import { queueName, useSqs } from './queues-api.ts';

export type QueueAction = { kind: 'purge' | 'delete'; url: string };

export function QueueActionDialog({ action, onDone, onClose }: { action: QueueAction; onDone: (a: QueueAction) => void; onClose: () => void }) {
  const sqs = useSqs();
  const name = queueName(action.url);
  if (action.kind === 'purge') {
    return (
      <ConfirmDialog title="Purge queue" action="Purge" onClose={onClose}
        onConfirm={async () => (await sqs.send(new PurgeQueueCommand({ QueueUrl: action.url })), onDone(action))}>
        Delete every message in <strong>{name}</strong>? Purged messages cannot be recovered, and a queue can be purged once every 60 seconds.
      </ConfirmDialog>
    );
  }
  return (
    <ConfirmDialog title="Delete queue" action="Delete" onClose={onClose}
      onConfirm={async () => (await sqs.send(new DeleteQueueCommand({ QueueUrl: action.url })), onDone(action))}>
      Delete <strong>{name}</strong> and all its messages? This cannot be undone.
    </ConfirmDialog>
  );
}
