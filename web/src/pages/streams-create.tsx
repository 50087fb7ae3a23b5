// The create form: on-demand, or provisioned with a shard count.
import { useState } from 'react';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { field, formAction } from '../form-action.ts';
import { ErrorBox, Notice } from '../ui.tsx';
import { useKinesis } from './streams-api.ts';

export function CreateStreamForm({ onCreated }: { onCreated: () => void }) {
  const k = useKinesis();
  const [provisioned, setProvisioned] = useState(false);
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<string>();
  const submit = formAction((e) => (setError(e), setCreated(undefined)))(async (f) => {
    const name = field(f, 'name');
    await k.send(new CreateStreamCommand({
      StreamName: name,
      StreamModeDetails: { StreamMode: provisioned ? 'PROVISIONED' : 'ON_DEMAND' },
      ShardCount: provisioned ? Number(field(f, 'shards')) : undefined,
    }));
    return name;
  }, (name) => (setCreated(name), setProvisioned(false), onCreated()));
  return (
    <form className="panel form" aria-label="Create data stream" onSubmit={submit}>
      <h3>Create data stream</h3>
      <label>Name <input name="name" required maxLength={128} pattern="[a-zA-Z0-9_.\-]+" /></label>
      <div className="toolbar" role="radiogroup" aria-label="Capacity mode">
        <label><span><input type="radio" name="mode" checked={!provisioned} onChange={() => setProvisioned(false)} /> On-demand</span></label>
        <label><span><input type="radio" name="mode" checked={provisioned} onChange={() => setProvisioned(true)} /> Provisioned</span></label>
      </div>
      {provisioned && <label>Provisioned shards <input name="shards" type="number" required min={1} defaultValue={1} /></label>}
      <p className="hint">{provisioned
        ? 'Each shard takes 1 MB/s or 1,000 records/s of writes and serves 2 MB/s of reads.'
        : 'On-demand streams scale their shards with the traffic.'}</p>
      <ErrorBox error={error} />
      {created && <Notice>Creating data stream {created}</Notice>}
      <div><button type="submit" className="primary">Create data stream</button></div>
    </form>
  );
}
