// The canaries table: name, state, runtime, schedule, last run (DescribeCanariesLastRun), a success
// sparkline (SuccessPercent over three hours, as bars: a canary that ran once has one point, which
// a line would not show) and start / stop / delete per canary.
import { useState } from 'react';
import {
  DeleteCanaryCommand, StartCanaryCommand, StopCanaryCommand, paginateDescribeCanaries, paginateDescribeCanariesLastRun, type Canary, type CanaryRun,
} from '@aws-sdk/client-synthetics';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { TimeChart } from '../chart.tsx';
import { buttonAction } from '../form-action.ts';
import { href } from '../router.ts';
import { formatTime } from '../time.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Link, StateBadge, useAsync, useInterval } from '../ui.tsx';
import { SPARK_HOURS, successSeries, useSynthetics } from './canaries-api.ts';

/** The states StartCanary accepts; a RUNNING canary can be stopped. */
const STARTABLE = new Set(['READY', 'STOPPED', 'ERROR']);

/** Start or Stop, whichever the canary's state allows (nothing while it is changing state). */
export function StartStop({ canary, onError, onDone }: { canary: Canary; onError: (e: unknown) => void; onDone: () => void }) {
  const syn = useSynthetics();
  const act = buttonAction(onError, onDone);
  const state = canary.Status?.State ?? '';
  if (state === 'RUNNING') return <button type="button" aria-label={`Stop ${canary.Name}`} onClick={act(() => syn.send(new StopCanaryCommand({ Name: canary.Name })))}>Stop</button>;
  if (STARTABLE.has(state)) return <button type="button" aria-label={`Start ${canary.Name}`} onClick={act(() => syn.send(new StartCanaryCommand({ Name: canary.Name })))}>Start</button>;
  return null;
}

export function useCanaries() {
  const c = useSession();
  const syn = useSynthetics();
  const canaries = useAsync(async () => {
    const list = await collect(paginateDescribeCanaries({ client: syn }, {}), (p) => p.Canaries);
    const last = await collect(paginateDescribeCanariesLastRun({ client: syn }, {}), (p) => p.CanariesLastRun);
    const names = list.map((x) => x.Name!);
    return {
      list,
      lastRun: new Map(last.map((l): [string, CanaryRun | undefined] => [l.CanaryName!, l.LastRun])),
      success: await successSeries(c, names),
      now: Date.now(),
    };
  }, []);
  useInterval(canaries.reload, 15_000);
  return canaries;
}

export function CanaryList({ canaries }: { canaries: ReturnType<typeof useCanaries> }) {
  const syn = useSynthetics();
  const [error, setError] = useState<unknown>();
  const [deleting, setDeleting] = useState<string>();
  const act = buttonAction(setError, canaries.reload);
  return (
    <>
      <ErrorBox error={error} />
      <div className="panel">
        <AsyncView state={canaries} isEmpty={(d) => d.list.length === 0} empty="No canaries yet. Create one from a blueprint below.">
          {({ list, lastRun, success, now }) => (
            <table aria-label="Canaries">
              <thead><tr><th>Name</th><th>State</th><th>Runtime</th><th>Schedule</th><th>Last run</th><th>Success % ({SPARK_HOURS} h)</th><th /></tr></thead>
              <tbody>{list.map((k) => {
                const run = lastRun.get(k.Name!);
                const points = success.get(k.Name!) ?? [];
                return (
                  <tr key={k.Name}>
                    <td><Link to={href('/canaries', { canary: k.Name })}>{k.Name}</Link></td>
                    <td><StateBadge state={k.Status?.State} /></td>
                    <td>{k.RuntimeVersion}</td>
                    <td><code>{k.Schedule?.Expression}</code></td>
                    <td>{run ? <><StateBadge state={run.Status?.State} /> <span className="muted">{formatTime(run.Timeline?.Started)}</span></> : <span className="muted">none yet</span>}</td>
                    <td style={{ width: 180 }}>
                      {points.length > 0
                        ? <TimeChart compact kind="bar" height={36} label={`Success of ${k.Name}`} range={{ start: new Date(now - SPARK_HOURS * 3_600_000), end: new Date(now) }}
                          series={[{ name: 'SuccessPercent', points, color: '#2ea597' }]} />
                        : <span className="muted">no data</span>}
                    </td>
                    <td>
                      <StartStop canary={k} onError={setError} onDone={canaries.reload} />
                      <button type="button" aria-label={`Delete ${k.Name}`} onClick={() => setDeleting(k.Name)}>Delete</button>
                    </td>
                  </tr>
                );
              })}</tbody>
            </table>
          )}
        </AsyncView>
      </div>
      {deleting && (
        <ConfirmDialog title="Delete canary" action="Delete" onClose={() => setDeleting(undefined)}
          onConfirm={act(async () => (await syn.send(new DeleteCanaryCommand({ Name: deleting })), setDeleting(undefined)))}>
          Delete the canary <strong>{deleting}</strong>? A running canary must be stopped first.
        </ConfirmDialog>
      )}
    </>
  );
}
