// The create form: standard or FIFO, the queue's timing attributes (AWS's defaults filled in), an
// optional dead-letter queue with its maxReceiveCount, and tags.
import { useState } from 'react';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { field, formAction } from '../form-action.ts';
import { parseTags } from '../tags.ts';
import { ErrorBox, Notice } from '../ui.tsx';
import { TIMING, isFifo, useSqs, type QueueInfo } from './queues-api.ts';


export function CreateQueueForm({ queues, onCreated }: { queues: QueueInfo[]; onCreated: () => void }) {
  const sqs = useSqs();
  const [fifo, setFifo] = useState(false);
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<string>();
  // A FIFO queue's dead-letter queue must be FIFO too, a standard queue's standard.
  const dlqs = queues.filter((q) => isFifo(q.attrs) === fifo);
  const submit = formAction((e) => (setError(e), setCreated(undefined)))(async (f) => {
    const name = field(f, 'name');
    const attrs: Record<string, string> = {};
    for (const [key] of TIMING) attrs[key] = field(f, key);
    if (fifo) {
      attrs.FifoQueue = 'true';
      attrs.ContentBasedDeduplication = f.get('contentDedup') ? 'true' : 'false';
    }
    const dlq = field(f, 'dlq');
    if (dlq) attrs.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq, maxReceiveCount: Number(field(f, 'maxReceiveCount')) });
    const tags = Object.fromEntries(parseTags(String(f.get('tags') ?? '')).map((t) => [t.Key, t.Value]));
    const r = await sqs.send(new CreateQueueCommand({
      QueueName: fifo && !name.endsWith('.fifo') ? `${name}.fifo` : name, Attributes: attrs, tags: Object.keys(tags).length ? tags : undefined,
    }));
    return r.QueueUrl ?? name;
  }, (url) => (setCreated(url), setFifo(false), onCreated()));
  return (
    <form className="panel form" aria-label="Create queue" onSubmit={submit}>
      <h3>Create queue</h3>
      <div className="toolbar" role="radiogroup" aria-label="Queue type">
        <label><span><input type="radio" name="type" checked={!fifo} onChange={() => setFifo(false)} /> Standard</span></label>
        <label><span><input type="radio" name="type" checked={fifo} onChange={() => setFifo(true)} /> FIFO</span></label>
      </div>
      <label>Name <input name="name" required maxLength={80} pattern="[A-Za-z0-9_\-]+(\.fifo)?" placeholder={fifo ? 'orders.fifo' : 'orders'} /></label>
      {fifo && <p className="hint">A FIFO queue's name ends in <code>.fifo</code>; it is added if missing.</p>}
      {fifo && <label><span><input type="checkbox" name="contentDedup" /> Content-based deduplication</span></label>}
      <div className="row">
        {TIMING.map(([key, label, def, min, max]) => (
          <label key={key}>{label} <input name={key} type="number" required min={min} max={max} defaultValue={def} /></label>
        ))}
      </div>
      <div className="row">
        <label>Dead-letter queue
          <select name="dlq" defaultValue="">
            <option value="">None</option>
            {dlqs.map((q) => <option key={q.url} value={q.attrs.QueueArn}>{q.name}</option>)}
          </select>
        </label>
        <label>Maximum receives <input name="maxReceiveCount" type="number" min={1} max={1000} defaultValue={10} /></label>
      </div>
      <label>Tags (key=value, one per line)<textarea name="tags" rows={2} /></label>
      <ErrorBox error={error} />
      {created && <Notice>Created queue {created}</Notice>}
      <div><button type="submit" className="primary">Create queue</button></div>
    </form>
  );
}
