// A stream's configuration: its shard count (provisioned streams; uniform scaling), its retention
// (increase or decrease, whichever the new value is) and its capacity mode.
import { useState } from 'react';
import {
  DecreaseStreamRetentionPeriodCommand, IncreaseStreamRetentionPeriodCommand, UpdateShardCountCommand, UpdateStreamModeCommand,
  type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';
import { field, formAction } from '../form-action.ts';
import { ErrorBox, Notice } from '../ui.tsx';
import { MAX_RETENTION_HOURS, MIN_RETENTION_HOURS, useKinesis } from './streams-api.ts';

export function StreamConfig({ summary: s, onChanged }: { summary: StreamDescriptionSummary; onChanged: () => void }) {
  const k = useKinesis();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const act = formAction((e) => (setError(e), setDone(undefined)));
  const after = (msg: string) => () => (setDone(msg), onChanged());
  const provisioned = s.StreamModeDetails?.StreamMode !== 'ON_DEMAND';
  const busy = s.StreamStatus !== 'ACTIVE';
  const shards = act((f) => k.send(new UpdateShardCountCommand({
    StreamName: s.StreamName, TargetShardCount: Number(field(f, 'shards')), ScalingType: 'UNIFORM_SCALING',
  })), after('Updating the shard count.'));
  const retention = act(async (f) => {
    const hours = Number(field(f, 'hours'));
    const input = { StreamName: s.StreamName, RetentionPeriodHours: hours };
    if (hours > (s.RetentionPeriodHours ?? 24)) await k.send(new IncreaseStreamRetentionPeriodCommand(input));
    else if (hours < (s.RetentionPeriodHours ?? 24)) await k.send(new DecreaseStreamRetentionPeriodCommand(input));
    return hours;
  }, (h) => after(`Data retention is ${h} hours.`)());
  const mode = act(() => k.send(new UpdateStreamModeCommand({
    StreamARN: s.StreamARN, StreamModeDetails: { StreamMode: provisioned ? 'ON_DEMAND' : 'PROVISIONED' },
  })), after('Switching the capacity mode.'));
  return (
    <>
      <ErrorBox error={error} />
      {done && <Notice>{done}</Notice>}
      {busy && <p className="muted">The stream is {s.StreamStatus}; changes wait until it is ACTIVE again.</p>}
      {provisioned && (
        <form className="panel form" aria-label="Shard count" onSubmit={shards} key={`s${s.OpenShardCount}`}>
          <h3>Shard count</h3>
          <label>Target shard count <input name="shards" type="number" required min={1} defaultValue={s.OpenShardCount} /></label>
          <p className="hint">Uniform scaling splits or merges shards to the target; at most double or half the current count per update.</p>
          <div><button type="submit" disabled={busy}>Update shard count</button></div>
        </form>
      )}
      <form className="panel form" aria-label="Data retention" onSubmit={retention} key={`r${s.RetentionPeriodHours}`}>
        <h3>Data retention</h3>
        <label>Retention period (hours) <input name="hours" type="number" required min={MIN_RETENTION_HOURS} max={MAX_RETENTION_HOURS} defaultValue={s.RetentionPeriodHours} /></label>
        <p className="hint">From 24 hours (1 day) to 8,760 hours (365 days).</p>
        <div><button type="submit" disabled={busy}>Save retention</button></div>
      </form>
      <form className="panel form" aria-label="Capacity mode" onSubmit={mode}>
        <h3>Capacity mode</h3>
        <p>This stream is <strong>{provisioned ? 'provisioned' : 'on-demand'}</strong>.</p>
        <div><button type="submit" disabled={busy}>Switch to {provisioned ? 'on-demand' : 'provisioned'}</button></div>
      </form>
    </>
  );
}
