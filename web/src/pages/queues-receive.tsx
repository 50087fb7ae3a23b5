// "Receive messages": polls with ReceiveMessage (long polls of up to 20 s) for a chosen duration or
// until a chosen count arrived, lists what came back (body, attributes, receive count, sent time),
// and deletes the selected messages by their receipt handles.
import { useRef, useState } from 'react';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { formatTime } from '../time.ts';
import { ErrorBox, Notice } from '../ui.tsx';
import { epoch, useSqs } from './queues-api.ts';

const showAttribute = (v: MessageAttributeValue): string =>
  v.DataType?.startsWith('Binary') ? `(${v.BinaryValue?.length ?? 0} bytes)` : (v.StringValue ?? '');

/** The received messages and the calls on them: long-polling, stopping, deleting the selected ones. */
function useReceiver(url: string, onChange: () => void) {
  const sqs = useSqs();
  const [messages, setMessages] = useState<Message[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [polling, setPolling] = useState(false);
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const stop = useRef(false);

  const poll = async (seconds: number, max: number) => {
    setPolling(true);
    setError(undefined);
    setNote(undefined);
    stop.current = false;
    const until = Date.now() + seconds * 1000;
    let got = 0;
    try {
      while (!stop.current && got < max) {
        const wait = Math.min(20, Math.floor((until - Date.now()) / 1000));
        if (wait < 0) break;
        const r = await sqs.send(new ReceiveMessageCommand({
          QueueUrl: url, MaxNumberOfMessages: Math.min(10, max - got), WaitTimeSeconds: wait,
          MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'],
        }));
        const batch = r.Messages ?? [];
        got += batch.length;
        // A message received again (its visibility timeout ran out) replaces its older copy: only the newest receipt handle deletes it.
        setMessages((old) => [...batch, ...old.filter((m) => !batch.some((b) => b.MessageId === m.MessageId))]);
        if (wait === 0) break;
      }
      setNote(`Received ${got} message${got === 1 ? '' : 's'}.`);
    } catch (e) {
      setError(e);
    } finally {
      setPolling(false);
      onChange();
    }
  };

  const deleteSelected = async () => {
    setError(undefined);
    const chosen = messages.filter((m) => selected.has(m.MessageId!));
    const failed: string[] = [];
    try {
      for (let i = 0; i < chosen.length; i += 10) {
        const batch = chosen.slice(i, i + 10);
        const r = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })) }));
        for (const f of r.Failed ?? []) failed.push(`${batch[Number(f.Id)]?.MessageId}: ${f.Code} ${f.Message ?? ''}`);
      }
      setMessages((old) => old.filter((m) => !selected.has(m.MessageId!) || failed.some((f) => f.startsWith(`${m.MessageId}:`))));
      setSelected(new Set());
      setNote(failed.length ? `Could not delete: ${failed.join('; ')}` : `Deleted ${chosen.length} message${chosen.length === 1 ? '' : 's'}.`);
    } catch (e) {
      setError(e);
    }
    onChange();
  };

  const toggle = (id: string) => setSelected((s) => {
    const n = new Set(s);
    if (!n.delete(id)) n.add(id);
    return n;
  });
  return { messages, selected, toggle, polling, error, note, poll, deleteSelected, stop: () => void (stop.current = true) };
}

export function ReceivePanel({ url, onChange }: { url: string; onChange: () => void }) {
  const { messages, selected, toggle, polling, error, note, poll, deleteSelected, stop } = useReceiver(url, onChange);
  return (
    <div className="panel">
      <h3>Receive messages</h3>
      <form className="toolbar" aria-label="Poll for messages" onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        void poll(Number(f.get('duration')), Number(f.get('max')));
      }}>
        <label>Polling duration (seconds) <input name="duration" type="number" min={1} max={300} defaultValue={20} style={{ width: 80 }} /></label>
        <label>Maximum message count <input name="max" type="number" min={1} max={100} defaultValue={10} style={{ width: 80 }} /></label>
        <button type="submit" className="primary" disabled={polling}>{polling ? 'Polling…' : 'Poll for messages'}</button>
        {polling && <button type="button" onClick={stop}>Stop polling</button>}
        <button type="button" disabled={selected.size === 0} onClick={() => void deleteSelected()}>Delete {selected.size || ''} selected</button>
      </form>
      <p className="hint">Received messages stay invisible to other consumers for the queue's visibility timeout, and count as received.</p>
      <ErrorBox error={error} />
      {note && <Notice>{note}</Notice>}
      {messages.length > 0 && <MessageTable messages={messages} selected={selected} toggle={toggle} />}
    </div>
  );
}

function MessageTable({ messages, selected, toggle }: { messages: Message[]; selected: Set<string>; toggle: (id: string) => void }) {
  return (
    <table aria-label="Received messages">
      <thead><tr><th /><th>Message ID</th><th>Body</th><th>Attributes</th><th>Sent</th><th>Receive count</th></tr></thead>
      <tbody>{messages.map((m) => (
        <tr key={m.MessageId}>
          <td><input type="checkbox" aria-label={`Select ${m.MessageId}`} checked={selected.has(m.MessageId!)} onChange={() => toggle(m.MessageId!)} /></td>
          <td className="msg">{m.MessageId}{m.Attributes?.MessageGroupId && <div className="muted">group {m.Attributes.MessageGroupId}</div>}</td>
          <td className="msg">{m.Body}</td>
          <td className="msg">{Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => <div key={k}>{k} ({v.DataType}): {showAttribute(v)}</div>)}</td>
          <td>{formatTime(epoch(m.Attributes?.SentTimestamp, 'ms'))}</td>
          <td>{m.Attributes?.ApproximateReceiveCount}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}
