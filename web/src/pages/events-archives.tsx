// Archives of one bus (state, event count, size, retention) with a create form, and replays: start
// one from an archive over a time window back onto the bus, and the replays of this bus's archives
// with their state. Both lists poll while a replay runs.
import { useState } from 'react';
import { CreateArchiveCommand, DescribeArchiveCommand, StartReplayCommand, type Archive } from '@aws-sdk/client-eventbridge';
import { useSession } from '../app-context.ts';
import { field, formAction } from '../form-action.ts';
import { formatBytes, formatTime, fromInputValue, toInputValue } from '../time.ts';
import { AsyncView, ErrorBox, Notice, StateBadge, useAsync, useInterval } from '../ui.tsx';
import { listArchives, listReplays } from './events-api.ts';

const POLL_MS = 3000;

function ArchiveList({ archives }: { archives: Archive[] }) {
  return (
    <table aria-label="Archives">
      <thead><tr><th>Name</th><th>State</th><th>Events</th><th>Size</th><th>Retention</th><th>Created</th></tr></thead>
      <tbody>{archives.map((a) => (
        <tr key={a.ArchiveName}>
          <td>{a.ArchiveName}</td><td><StateBadge state={a.State} /></td><td>{a.EventCount ?? 0}</td><td>{formatBytes(a.SizeBytes)}</td>
          <td>{a.RetentionDays ? `${a.RetentionDays} days` : 'Indefinite'}</td><td>{formatTime(a.CreationTime)}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}

function CreateArchiveForm({ busArn, onCreated }: { busArn: string; onCreated: () => void }) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const create = formAction(setError)((f) => c.events.send(new CreateArchiveCommand({
    ArchiveName: field(f, 'name'), EventSourceArn: busArn, Description: field(f, 'description') || undefined,
    EventPattern: field(f, 'pattern') || undefined, RetentionDays: Number(field(f, 'retention')) || undefined,
  })), onCreated);
  return (
    <form className="form" onSubmit={create} aria-label="Create archive">
      <h4 style={{ margin: 0 }}>Create archive</h4>
      <div className="row">
        <label>Archive name<input name="name" required /></label>
        <label>Retention (days, empty = indefinite)<input name="retention" type="number" min={0} /></label>
      </div>
      <label>Description<input name="description" /></label>
      <label>Event pattern (JSON, empty = every event)<input name="pattern" placeholder='{"source":["com.example.orders"]}' /></label>
      <ErrorBox error={error} />
      <div><button type="submit">Create archive</button></div>
    </form>
  );
}

function StartReplayForm({ busArn, archives, onStarted }: { busArn: string; archives: Archive[]; onStarted: (name: string) => void }) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const [defaults] = useState(() => ({ start: toInputValue(new Date(Date.now() - 3_600_000)), end: toInputValue(new Date()) }));
  const start = formAction(setError)(async (f) => {
    // ListArchives does not return an archive's ARN; DescribeArchive does.
    const archive = await c.events.send(new DescribeArchiveCommand({ ArchiveName: field(f, 'archive') }));
    await c.events.send(new StartReplayCommand({
      ReplayName: field(f, 'name'), EventSourceArn: archive.ArchiveArn, Destination: { Arn: busArn },
      EventStartTime: fromInputValue(field(f, 'start')), EventEndTime: fromInputValue(field(f, 'end')),
    }));
    return field(f, 'name');
  }, onStarted);
  return (
    <form className="form" onSubmit={start} aria-label="Start replay">
      <h4 style={{ margin: 0 }}>Start replay</h4>
      <div className="row">
        <label>Replay name<input name="name" required /></label>
        <label>Archive<select name="archive" required>{archives.map((a) => <option key={a.ArchiveName}>{a.ArchiveName}</option>)}</select></label>
      </div>
      <div className="row">
        <label>Events from<input name="start" type="datetime-local" required defaultValue={defaults.start} /></label>
        <label>Events until<input name="end" type="datetime-local" required defaultValue={defaults.end} /></label>
      </div>
      <ErrorBox error={error} />
      <div><button type="submit" disabled={archives.length === 0}>Start replay</button></div>
    </form>
  );
}

export function ArchivesTab({ busArn }: { bus: string; busArn: string }) {
  const c = useSession();
  const archives = useAsync(() => listArchives(c.events, busArn), [busArn]);
  const replays = useAsync(async () => {
    // A replay names its archive by ARN: arn:…:archive/<name>, in the bus's account and Region.
    const prefix = `${busArn.slice(0, busArn.indexOf(':event-bus/'))}:archive/`;
    const names = new Set((await listArchives(c.events, busArn)).map((a) => a.ArchiveName));
    return (await listReplays(c.events)).filter((r) => r.EventSourceArn?.startsWith(prefix) && names.has(r.EventSourceArn.slice(prefix.length)));
  }, [busArn]);
  const [started, setStarted] = useState<string>();
  useInterval(() => (archives.reload(), replays.reload()), POLL_MS);
  return (
    <>
      <h4>Archives</h4>
      <AsyncView state={archives} isEmpty={(a) => a.length === 0} empty="No archives of this bus.">{(a) => <ArchiveList archives={a} />}</AsyncView>
      <CreateArchiveForm busArn={busArn} onCreated={archives.reload} />
      <h4>Replays</h4>
      <AsyncView state={replays} isEmpty={(r) => r.length === 0} empty="No replays.">
        {(list) => (
          <table aria-label="Replays">
            <thead><tr><th>Name</th><th>State</th><th>Events from</th><th>Events until</th><th>Last replayed</th><th>Started</th><th>Ended</th></tr></thead>
            <tbody>{list.map((r) => (
              <tr key={r.ReplayName}>
                <td>{r.ReplayName}</td><td><StateBadge state={r.State} />{r.StateReason ? ` ${r.StateReason}` : ''}</td>
                <td>{formatTime(r.EventStartTime)}</td><td>{formatTime(r.EventEndTime)}</td><td>{formatTime(r.EventLastReplayedTime)}</td>
                <td>{formatTime(r.ReplayStartTime)}</td><td>{formatTime(r.ReplayEndTime)}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
      {started && <Notice>Started replay {started}</Notice>}
      <StartReplayForm busArn={busArn} archives={archives.data ?? []} onStarted={(n) => (setStarted(n), replays.reload())} />
    </>
  );
}
