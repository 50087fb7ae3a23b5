// "Send message": body, message attributes (String / Number / Binary rows), and for a FIFO queue the
// group and deduplication IDs, else a per-message delay.
import { useState } from 'react';
import { SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { field, formAction } from '../form-action.ts';
import { ErrorBox, Notice } from '../ui.tsx';
import { isFifo, useSqs, type Attributes } from './queues-api.ts';

const TYPES = ['String', 'Number', 'Binary'] as const;
interface AttrRow { id: number; name: string; type: (typeof TYPES)[number]; value: string }

function toAttribute(r: AttrRow): MessageAttributeValue {
  // Binary values are typed as base64, as in AWS's console.
  if (r.type === 'Binary') return { DataType: 'Binary', BinaryValue: Uint8Array.from(atob(r.value), (ch) => ch.charCodeAt(0)) };
  return { DataType: r.type, StringValue: r.value };
}

export function SendForm({ url, attrs, onSent }: { url: string; attrs: Attributes; onSent: () => void }) {
  const sqs = useSqs();
  const fifo = isFifo(attrs);
  const [rows, setRows] = useState<AttrRow[]>([]);
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<string>();
  const edit = (id: number, patch: Partial<AttrRow>) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const submit = formAction((e) => (setError(e), setSent(undefined)))(async (f) => {
    const named = rows.filter((r) => r.name.trim());
    const r = await sqs.send(new SendMessageCommand({
      QueueUrl: url,
      MessageBody: String(f.get('body') ?? ''),
      MessageAttributes: named.length ? Object.fromEntries(named.map((x) => [x.name.trim(), toAttribute(x)])) : undefined,
      MessageGroupId: fifo ? field(f, 'groupId') : undefined,
      MessageDeduplicationId: fifo ? field(f, 'dedupId') || undefined : undefined,
      DelaySeconds: !fifo && field(f, 'delay') ? Number(field(f, 'delay')) : undefined,
    }));
    return r;
  }, (r) => (setSent(`Sent message ${r.MessageId}${r.SequenceNumber ? ` (sequence number ${r.SequenceNumber})` : ''}`), setRows([]), onSent()));
  return (
    <form className="panel form" aria-label="Send message" onSubmit={submit} style={{ maxWidth: 'none' }}>
      <h3>Send message</h3>
      <label>Message body <textarea name="body" rows={4} required /></label>
      {fifo ? (
        <div className="row">
          <label>Message group ID <input name="groupId" required maxLength={128} /></label>
          <label>Message deduplication ID{attrs.ContentBasedDeduplication === 'true' ? ' (optional)' : ''}
            <input name="dedupId" maxLength={128} required={attrs.ContentBasedDeduplication !== 'true'} /></label>
        </div>
      ) : (
        <div className="row"><label>Delivery delay (seconds) <input name="delay" type="number" min={0} max={900} placeholder={attrs.DelaySeconds ?? '0'} /></label></div>
      )}
      <fieldset aria-label="Message attributes" style={{ border: 0, padding: 0, margin: 0, display: 'grid', gap: 6 }}>
        <legend className="hint">Message attributes</legend>
        {rows.map((r, i) => (
          <div className="row" key={r.id}>
            <label>Name <input aria-label={`Attribute ${i + 1} name`} value={r.name} onChange={(e) => edit(r.id, { name: e.target.value })} required /></label>
            <label>Type <select aria-label={`Attribute ${i + 1} type`} value={r.type} onChange={(e) => edit(r.id, { type: e.target.value as AttrRow['type'] })}>
              {TYPES.map((t) => <option key={t}>{t}</option>)}</select></label>
            <label>Value <input aria-label={`Attribute ${i + 1} value`} value={r.value} onChange={(e) => edit(r.id, { value: e.target.value })} required /></label>
            <button type="button" onClick={() => setRows((rs) => rs.filter((x) => x.id !== r.id))}>Remove</button>
          </div>
        ))}
        <div><button type="button" onClick={() => setRows((rs) => [...rs, { id: Date.now(), name: '', type: 'String', value: '' }])}>Add attribute</button></div>
      </fieldset>
      <ErrorBox error={error} />
      {sent && <Notice>{sent}</Notice>}
      <div><button type="submit" className="primary">Send message</button></div>
    </form>
  );
}
