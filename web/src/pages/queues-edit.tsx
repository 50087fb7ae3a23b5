// Editing a queue's timing attributes (visibility timeout, retention, delay, receive wait) in place.
import { useState } from 'react';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { field, formAction } from '../form-action.ts';
import { ErrorBox, Notice } from '../ui.tsx';
import { TIMING, useSqs, type Attributes } from './queues-api.ts';

export function EditQueueForm({ url, attrs, onSaved }: { url: string; attrs: Attributes; onSaved: () => void }) {
  const sqs = useSqs();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const submit = formAction((e) => (setError(e), setSaved(false)))(async (f) => {
    // Only what changed, so LastModifiedTimestamp moves only when something did.
    const changed = Object.fromEntries(TIMING.map(([key]) => [key, field(f, key)]).filter(([key, v]) => v !== attrs[key!]));
    if (Object.keys(changed).length) await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: changed }));
  }, () => (setSaved(true), onSaved()));
  return (
    <form className="panel form" aria-label="Edit queue" onSubmit={submit} key={TIMING.map(([k]) => attrs[k]).join()}>
      <h3>Edit configuration</h3>
      <div className="row">
        {TIMING.map(([key, label, , min, max]) => (
          <label key={key}>{label} <input name={key} type="number" required min={min} max={max} defaultValue={attrs[key]} /></label>
        ))}
      </div>
      <ErrorBox error={error} />
      {saved && <Notice>Saved the queue configuration.</Notice>}
      <div><button type="submit" className="primary">Save</button></div>
    </form>
  );
}
