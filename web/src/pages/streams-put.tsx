// "Put a test record": a partition key and UTF-8 data, answered with the shard and sequence number.
import { useState } from 'react';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { field, formAction } from '../form-action.ts';
import { ErrorBox, Notice } from '../ui.tsx';
import { useKinesis } from './streams-api.ts';

export function PutRecordForm({ name }: { name: string }) {
  const k = useKinesis();
  const [error, setError] = useState<unknown>();
  const [put, setPut] = useState<string>();
  const submit = formAction((e) => (setError(e), setPut(undefined)))(async (f) => {
    const r = await k.send(new PutRecordCommand({
      StreamName: name, PartitionKey: field(f, 'key'), Data: new TextEncoder().encode(String(f.get('data') ?? '')),
    }));
    return `Put record in ${r.ShardId} · sequence number ${r.SequenceNumber}`;
  }, setPut);
  return (
    <form className="panel form" aria-label="Put test record" onSubmit={submit} style={{ maxWidth: 'none' }}>
      <h3>Put a test record</h3>
      <label>Partition key <input name="key" required maxLength={256} defaultValue="test" /></label>
      <label>Data <textarea name="data" rows={3} required placeholder='{"hello": "world"}' /></label>
      <ErrorBox error={error} />
      {put && <Notice>{put}</Notice>}
      <div><button type="submit" className="primary">Put record</button></div>
    </form>
  );
}
