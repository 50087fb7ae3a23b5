// The queue's access policy (the Policy attribute) as formatted JSON, editable; an empty policy removes it.
import { useState } from 'react';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { formAction } from '../form-action.ts';
import { ErrorBox, Notice } from '../ui.tsx';
import { prettyJson } from './events-api.ts';
import { useSqs } from './queues-api.ts';

export function PolicyTab({ url, policy, onSaved }: { url: string; policy: string | undefined; onSaved: () => void }) {
  const sqs = useSqs();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const submit = formAction((e) => (setError(e), setSaved(false)))(
    (f) => sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: String(f.get('policy') ?? '').trim() } })),
    () => (setSaved(true), onSaved()),
  );
  return (
    <form className="panel form" aria-label="Access policy" onSubmit={submit} style={{ maxWidth: 'none' }}>
      <p className="hint">Who may use this queue, as an IAM policy document. Leave empty for none (only the owner account).</p>
      <textarea name="policy" aria-label="Policy" rows={14} defaultValue={prettyJson(policy)} key={policy} spellCheck={false} style={{ fontFamily: 'monospace' }} />
      <ErrorBox error={error} />
      {saved && <Notice>Saved the access policy.</Notice>}
      <div><button type="submit" className="primary">Save policy</button></div>
    </form>
  );
}
