// DLQ redrive, on a queue other queues use as their dead-letter queue: its source queues, starting a
// message move task (back to each message's source queue, or to a chosen queue, at a chosen rate),
// and the recent tasks with their progress, refreshed while one runs, and cancel.
import { useState } from 'react';
import { CancelMessageMoveTaskCommand, ListMessageMoveTasksCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { buttonAction, field, formAction } from '../form-action.ts';
import { href } from '../router.ts';
import { formatTime } from '../time.ts';
import { AsyncView, ErrorBox, Link, Notice, StateBadge, useAsync, useInterval } from '../ui.tsx';
import { listQueues, queueName, useSqs } from './queues-api.ts';

export function RedriveTab({ arn, sources, onMoved }: { arn: string; sources: string[]; onMoved: () => void }) {
  const sqs = useSqs();
  const tasks = useAsync(async () => (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn, MaxResults: 10 }))).Results ?? [], [arn]);
  const running = tasks.data?.some((t) => t.Status === 'RUNNING' || t.Status === 'CANCELLING') ?? false;
  useInterval(() => (tasks.reload(), onMoved()), running ? 2_000 : 0);
  const [error, setError] = useState<unknown>();
  const [started, setStarted] = useState<string>();
  const cancel = buttonAction(setError, tasks.reload);
  return (
    <>
      <div className="panel">
        <h3>Source queues</h3>
        <p className="hint">Queues whose redrive policy sends their failed messages here.</p>
        <ul className="list" aria-label="Source queues">
          {sources.map((u) => <li key={u}><Link to={href('/queues', { queue: u })}>{queueName(u)}</Link></li>)}
        </ul>
      </div>
      <StartRedrive arn={arn} onStarted={(h) => (setStarted(h), tasks.reload())} setError={setError} />
      <ErrorBox error={error} />
      {started && <Notice>Started DLQ redrive.</Notice>}
      <div className="panel">
        <h3>Redrive tasks</h3>
        <AsyncView state={tasks} isEmpty={(t) => t.length === 0} empty="No redrive tasks yet.">
          {(list) => (
            <table aria-label="Redrive tasks">
              <thead><tr><th>Status</th><th>Started</th><th>Destination</th><th>Moved</th><th>Rate (messages/s)</th><th>Failure</th><th /></tr></thead>
              <tbody>{list.map((t) => (
                <tr key={`${t.TaskHandle ?? ''}${t.StartedTimestamp}`}>
                  <td><StateBadge state={t.Status} /></td>
                  <td>{formatTime(t.StartedTimestamp)}</td>
                  <td>{t.DestinationArn ? queueName(t.DestinationArn) : 'Source queues'}</td>
                  <td>{t.ApproximateNumberOfMessagesMoved ?? 0} of {t.ApproximateNumberOfMessagesToMove ?? '?'}</td>
                  <td>{t.MaxNumberOfMessagesPerSecond ?? 'System optimized'}</td>
                  <td>{t.FailureReason}</td>
                  <td>{t.Status === 'RUNNING' && t.TaskHandle && (
                    <button type="button" onClick={cancel(() => sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: t.TaskHandle })))}>Cancel redrive</button>
                  )}</td>
                </tr>
              ))}</tbody>
            </table>
          )}
        </AsyncView>
      </div>
    </>
  );
}

function StartRedrive({ arn, onStarted, setError }: { arn: string; onStarted: (handle: string) => void; setError: (e: unknown) => void }) {
  const sqs = useSqs();
  const [custom, setCustom] = useState(false);
  const queues = useAsync(() => (custom ? listQueues(sqs) : Promise.resolve([])), [custom]);
  const submit = formAction(setError)(async (f) => {
    const rate = field(f, 'rate');
    const r = await sqs.send(new StartMessageMoveTaskCommand({
      SourceArn: arn, DestinationArn: custom ? field(f, 'destination') : undefined, MaxNumberOfMessagesPerSecond: rate ? Number(rate) : undefined,
    }));
    return r.TaskHandle ?? '';
  }, (h) => (setCustom(false), onStarted(h)));
  return (
    <form className="panel form" aria-label="Start DLQ redrive" onSubmit={submit}>
      <h3>Start DLQ redrive</h3>
      <div className="toolbar" role="radiogroup" aria-label="Redrive destination">
        <label><span><input type="radio" name="to" checked={!custom} onChange={() => setCustom(false)} /> Redrive to source queue(s)</span></label>
        <label><span><input type="radio" name="to" checked={custom} onChange={() => setCustom(true)} /> Redrive to a custom destination</span></label>
      </div>
      {custom && (
        <label>Destination queue
          <select name="destination" required>
            {(queues.data ?? []).filter((q) => q.attrs.QueueArn !== arn).map((q) => <option key={q.url} value={q.attrs.QueueArn}>{q.name}</option>)}
          </select>
        </label>
      )}
      <label>Maximum messages per second (empty: system optimized) <input name="rate" type="number" min={1} max={500} /></label>
      <div><button type="submit" className="primary">Start DLQ redrive</button></div>
    </form>
  );
}
