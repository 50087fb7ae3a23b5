// "Send test event": one PutEvents entry onto this bus, so a rule can be tried end to end. The
// answer's EventId (or the entry's error code and message) is shown.
import { useState } from 'react';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { useSession } from '../app-context.ts';
import { field, formAction } from '../form-action.ts';
import { ErrorBox, Notice } from '../ui.tsx';
import { throwFailed } from './events-api.ts';

export function SendEventForm({ bus }: { bus: string }) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<string>();
  const send = formAction((e) => (setError(e), e && setSent(undefined)))(async (f) => {
    setSent(undefined);
    const resources = field(f, 'resources').split(',').map((s) => s.trim()).filter(Boolean);
    const r = await c.events.send(new PutEventsCommand({
      Entries: [{ EventBusName: bus, Source: field(f, 'source'), DetailType: field(f, 'detailType'), Detail: field(f, 'detail'), Resources: resources }],
    }));
    throwFailed(r.Entries);
    return r.Entries?.[0]?.EventId ?? '';
  }, setSent);
  return (
    <form className="form" onSubmit={send} aria-label="Send test event">
      <div className="row">
        <label>Source<input name="source" required defaultValue="com.example.orders" /></label>
        <label>Detail type<input name="detailType" required defaultValue="Order Placed" /></label>
      </div>
      <label>Resources (ARNs, comma separated)<input name="resources" /></label>
      <label>Detail (JSON object)
        <textarea name="detail" className="json" style={{ minHeight: 120 }} required spellCheck={false} defaultValue={'{\n  "orderId": "o-1",\n  "amount": 42\n}'} />
      </label>
      <ErrorBox error={error} />
      {sent && <Notice>Sent to {bus} · EventId {sent}</Notice>}
      <div><button type="submit" className="primary">Send event</button></div>
    </form>
  );
}
