// One canary: its configuration, start / stop / delete, the run history (GetCanaryRuns) with the
// selected run's steps, screenshots, HAR and log, and the events of its log group. The URL holds
// `canary` and `run`.
import { useState } from 'react';
import { paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteCanaryCommand, GetCanaryCommand, GetCanaryRunsCommand, UpdateCanaryCommand, type Canary, type CanaryRun } from '@aws-sdk/client-synthetics';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { buttonAction } from '../form-action.ts';
import { href, navigate, useQueryState } from '../router.ts';
import { formatTime } from '../time.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Link, Loading, StateBadge, useAsync, useInterval } from '../ui.tsx';
import { canaryLogGroup, formatDuration, useSynthetics } from './canaries-api.ts';
import { StartStop } from './canaries-list.tsx';
import { RunView } from './canaries-run.tsx';

const POLL_MS = 5_000;

export function CanaryDetail({ name }: { name: string }) {
  const syn = useSynthetics();
  const [q, setQ] = useQueryState();
  const [error, setError] = useState<unknown>();
  const [deleting, setDeleting] = useState(false);
  const canary = useAsync(async () => (await syn.send(new GetCanaryCommand({ Name: name }))).Canary!, [name]);
  const runs = useAsync(async () => (await syn.send(new GetCanaryRunsCommand({ Name: name, MaxResults: 100 }))).CanaryRuns ?? [], [name]);
  // Runs finish on the server's schedule: poll while the page is open, as CloudWatch's console does.
  useInterval(() => (canary.reload(), runs.reload()), POLL_MS);
  if (canary.error) return <><Link to="/canaries">← Canaries</Link><ErrorBox error={canary.error} /></>;
  if (!canary.data) return <Loading what="Loading canary" />;
  const c = canary.data;
  const runId = q.get('run') ?? undefined;
  const selected = runs.data?.find((r) => r.Id === runId);
  return (
    <>
      <div className="toolbar">
        <Link to="/canaries">← Canaries</Link>
        <h2>{name}</h2>
        <StateBadge state={c.Status?.State} />
        <span className="spacer" />
        <StartStop canary={c} onError={setError} onDone={canary.reload} />
        <button type="button" className="danger" onClick={() => setDeleting(true)}>Delete</button>
      </div>
      <ErrorBox error={error} />
      {c.Status?.StateReason && <p className="muted">{c.Status.StateReason}</p>}
      <CanaryConfig canary={c} />
      <section className="panel" aria-label="Run history">
        <h3>Runs</h3>
        <AsyncView state={runs} isEmpty={(r) => r.length === 0} empty="No runs yet.">
          {(list) => <RunHistory runs={list} selected={runId} onSelect={(id) => setQ({ run: id }, true)} />}
        </AsyncView>
      </section>
      {selected && c.VisualReference && <Baseline canary={c} runId={selected.Id!} onError={setError} onDone={canary.reload} />}
      {selected && <RunView key={selected.Id} canary={name} run={selected} baseRunId={c.VisualReference?.BaseCanaryRunId} />}
      {c.Id && <CanaryLogs group={canaryLogGroup(name, c.Id)} lastRun={`${runs.data?.[0]?.Id}:${runs.data?.[0]?.Status?.State}`} />}
      {deleting && (
        <ConfirmDialog title="Delete canary" action="Delete" onClose={() => setDeleting(false)}
          onConfirm={async () => (await syn.send(new DeleteCanaryCommand({ Name: name })), navigate('/canaries'))}>
          Delete the canary <strong>{name}</strong> and stop its runs? A running canary must be stopped first.
        </ConfirmDialog>
      )}
    </>
  );
}

function CanaryConfig({ canary: c }: { canary: Canary }) {
  const rows: [string, string | undefined][] = [
    ['Engine (Lambda function)', c.EngineArn],
    ['Runtime version', c.RuntimeVersion],
    ['Handler', c.Code?.Handler],
    ['Schedule', c.Schedule?.Expression],
    ['Stops after', c.Schedule?.DurationInSeconds ? formatDuration(c.Schedule.DurationInSeconds * 1000) : 'never (runs until stopped)'],
    ['Timeout', c.RunConfig?.TimeoutInSeconds === undefined ? undefined : `${c.RunConfig.TimeoutInSeconds} s`],
    ['Memory', c.RunConfig?.MemoryInMB === undefined ? undefined : `${c.RunConfig.MemoryInMB} MB`],
    ['Active tracing', c.RunConfig?.ActiveTracing ? 'on' : 'off'],
    ['Artifact location', c.ArtifactS3Location],
    ['Execution role', c.ExecutionRoleArn],
    ['Retention (success / failure)', `${c.SuccessRetentionPeriodInDays ?? '—'} / ${c.FailureRetentionPeriodInDays ?? '—'} days`],
    ['Visual baseline', c.VisualReference?.BaseCanaryRunId],
    ['Created', formatTime(c.Timeline?.Created)],
    ['Last started', formatTime(c.Timeline?.LastStarted)],
    ['Last stopped', formatTime(c.Timeline?.LastStopped)],
  ];
  return (
    <section className="panel" aria-label="Configuration">
      <h3>Configuration</h3>
      <dl className="kv" aria-label="Canary details">
        {rows.filter(([, v]) => v).map(([k, v]) => <div key={k}><dt>{k}</dt><dd><code>{v}</code></dd></div>)}
        {c.Id && <div><dt>Log group</dt><dd><Link to={href('/logs', { group: canaryLogGroup(c.Name!, c.Id) })}>{canaryLogGroup(c.Name!, c.Id)}</Link></dd></div>}
      </dl>
    </section>
  );
}

/** A visual monitoring canary compares each run's screenshots with its base run's; any run can become the base. */
function Baseline({ canary, runId, onError, onDone }: { canary: Canary; runId: string; onError: (e: unknown) => void; onDone: () => void }) {
  const syn = useSynthetics();
  if (canary.VisualReference?.BaseCanaryRunId === runId) return <p className="muted">This run is the canary's visual baseline.</p>;
  const act = buttonAction(onError, onDone);
  return (
    <p><button type="button" onClick={act(() => syn.send(new UpdateCanaryCommand({ Name: canary.Name, VisualReference: { BaseCanaryRunId: runId } })))}>
      Use this run as the visual baseline
    </button></p>
  );
}

const duration = (r: CanaryRun) =>
  r.Timeline?.Started && r.Timeline.Completed ? formatDuration(r.Timeline.Completed.getTime() - r.Timeline.Started.getTime()) : '—';

function RunHistory({ runs, selected, onSelect }: { runs: CanaryRun[]; selected?: string; onSelect: (id: string) => void }) {
  return (
    <table aria-label="Runs">
      <thead><tr><th>Status</th><th>Started</th><th>Duration</th><th>Reason</th><th /></tr></thead>
      <tbody>{runs.map((r) => (
        <tr key={r.Id} className="expandable" aria-selected={r.Id === selected} onClick={() => onSelect(r.Id!)}
          style={{ fontWeight: r.Id === selected ? 600 : undefined }}>
          <td><StateBadge state={r.Status?.State} /></td>
          <td>{formatTime(r.Timeline?.Started)}</td>
          <td>{duration(r)}</td>
          <td className="msg">{r.Status?.StateReason ?? ''}</td>
          <td><button type="button" aria-label={`Open run ${formatTime(r.Timeline?.Started)}`} onClick={(e) => (e.stopPropagation(), onSelect(r.Id!))}>Open</button></td>
        </tr>
      ))}</tbody>
    </table>
  );
}

const LOG_WINDOW_MS = 3 * 3_600_000;

/**
 * The last three hours of the canary's log group, newest last, as the Logs page shows a stream;
 * read again when a run ends (`lastRun` changes) and every 15 s, as a run's log arrives after it.
 */
function CanaryLogs({ group, lastRun }: { group: string; lastRun: string }) {
  const c = useSession();
  const events = useAsync(async () => {
    try {
      // FilterLogEvents pages oldest first: read a few pages and keep the newest events.
      const pages = paginateFilterLogEvents({ client: c.logs, pageSize: 1000 }, { logGroupName: group, startTime: Date.now() - LOG_WINDOW_MS });
      return (await collect(pages, (p) => p.events, 5000)).slice(-200);
    } catch (e) {
      // A canary that never ran has no log group yet: that is "no events", not an error.
      if ((e as { name?: string }).name === 'ResourceNotFoundException') return [];
      throw e;
    }
  }, [group, lastRun]);
  useInterval(events.reload, 15_000);
  return (
    <section className="panel" aria-label="Log events">
      <div className="toolbar"><h3 style={{ margin: 0 }}>Log events (last 3 hours)</h3><button type="button" onClick={events.reload}>Refresh</button></div>
      <AsyncView state={events} isEmpty={(e) => e.length === 0} empty="No log events in the last 3 hours.">
        {(list) => (
          <table aria-label="Canary log events">
            <thead><tr><th>Time</th><th>Message</th></tr></thead>
            <tbody>{list.map((e) => <tr key={e.eventId}><td style={{ whiteSpace: 'nowrap' }}>{formatTime(e.timestamp, true)}</td><td className="msg">{e.message}</td></tr>)}</tbody>
          </table>
        )}
      </AsyncView>
    </section>
  );
}
