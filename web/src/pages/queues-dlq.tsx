// The queue's dead-letter settings: which queue gets its messages after how many receives (the
// RedrivePolicy attribute), set or removed.
import { useState } from 'react';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { field, formAction } from '../form-action.ts';
import { AsyncView, ErrorBox, Notice, useAsync } from '../ui.tsx';
import { isFifo, listQueues, queueName, redrivePolicy, useSqs, type Attributes } from './queues-api.ts';

export function DeadLetterTab({ url, attrs, onSaved }: { url: string; attrs: Attributes; onSaved: () => void }) {
  const sqs = useSqs();
  const current = redrivePolicy(attrs);
  const candidates = useAsync(async () => (await listQueues(sqs)).filter((q) => q.url !== url && isFifo(q.attrs) === isFifo(attrs)), [url]);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  const submit = formAction((e) => (setError(e), setSaved(undefined)))(async (f) => {
    const arn = field(f, 'dlq');
    // An empty RedrivePolicy removes the dead-letter queue.
    const RedrivePolicy = arn ? JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: Number(field(f, 'maxReceiveCount')) }) : '';
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy } }));
    return arn;
  }, (arn) => (setSaved(arn ? `Messages go to ${queueName(arn)} after too many receives.` : 'Removed the dead-letter queue.'), onSaved()));
  return (
    <div className="panel">
      <p>{current
        ? <>Messages received more than <strong>{current.maxReceiveCount}</strong> times move to <strong>{queueName(current.deadLetterTargetArn)}</strong> (<code>{current.deadLetterTargetArn}</code>).</>
        : 'No dead-letter queue: messages stay until deleted or their retention period ends.'}</p>
      <AsyncView state={candidates}>
        {(qs) => (
          <form className="form" aria-label="Dead-letter queue" onSubmit={submit} key={attrs.RedrivePolicy ?? ''}>
            <div className="row">
              <label>Dead-letter queue
                <select name="dlq" defaultValue={current?.deadLetterTargetArn ?? ''}>
                  <option value="">None</option>
                  {qs.map((q) => <option key={q.url} value={q.attrs.QueueArn}>{q.name}</option>)}
                </select>
              </label>
              <label>Maximum receives <input name="maxReceiveCount" type="number" min={1} max={1000} defaultValue={current?.maxReceiveCount ?? 10} /></label>
            </div>
            <ErrorBox error={error} />
            {saved && <Notice>{saved}</Notice>}
            <div><button type="submit" className="primary">Save</button></div>
          </form>
        )}
      </AsyncView>
    </div>
  );
}
