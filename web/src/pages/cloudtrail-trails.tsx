// Trails: DescribeTrails (shadow trails of multi-Region trails from other Regions included) with
// each trail's GetTrailStatus — logging or not, the last delivery to the bucket and the log group
// and their errors — and, for trails whose home is this Region, start/stop logging, edit and delete
// behind an in-page confirmation. `edit` in the URL opens the form (no value: a new trail).
import { useState } from 'react';
import {
  DeleteTrailCommand, DescribeTrailsCommand, GetTrailStatusCommand, StartLoggingCommand, StopLoggingCommand,
  type GetTrailStatusCommandOutput, type Trail,
} from '@aws-sdk/client-cloudtrail';
import { useSession } from '../app-context.ts';
import { navigate, useQueryState } from '../router.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Link, Notice, useAsync } from '../ui.tsx';
import { formatTime } from '../time.ts';
import { cloudTrailLink, logGroupNameOfArn, useCloudTrail } from './cloudtrail-api.ts';
import { TrailForm } from './cloudtrail-trail-form.tsx';

interface Row { trail: Trail; status?: GetTrailStatusCommandOutput; statusError?: unknown }

export function TrailsTab() {
  const [q] = useQueryState();
  const edit = q.get('edit');
  return edit !== null ? <TrailForm key={edit} name={edit || undefined} /> : <TrailList />;
}

function TrailList() {
  const ct = useCloudTrail();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [deleting, setDeleting] = useState<string>();
  const rows = useAsync(async (): Promise<Row[]> => {
    const trails = (await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
    return Promise.all(trails.map(async (trail) => {
      try {
        return { trail, status: await ct.send(new GetTrailStatusCommand({ Name: trail.TrailARN })) };
      } catch (statusError) {
        return { trail, statusError };
      }
    }));
  }, []);
  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError(undefined);
    setNotice(undefined);
    try {
      await fn();
      setNotice(what);
      rows.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <div className="toolbar">
        <h3 style={{ margin: 0, flex: 1 }}>Trails</h3>
        <button type="button" onClick={rows.reload}>Refresh</button>
        <button type="button" className="primary" onClick={() => navigate(`${cloudTrailLink({ tab: 'trails' })}&edit=`)}>Create trail</button>
      </div>
      <ErrorBox error={error} />
      {notice && <Notice>{notice}</Notice>}
      <AsyncView state={rows} isEmpty={(r) => r.length === 0} empty="No trails. Event history records the last 90 days without one; a trail delivers records to a bucket or log group.">
        {(list) => (
          <table aria-label="Trails">
            <thead><tr><th>Name</th><th>Home Region</th><th>Multi-Region</th><th>S3 bucket</th><th>Log group</th><th>Status</th><th>Last delivery</th><th>Actions</th></tr></thead>
            <tbody>{list.map((r) => (
              <TrailRow key={r.trail.TrailARN} row={r} onDelete={() => setDeleting(r.trail.Name)}
                onLogging={(on) => void act(`${on ? 'Started' : 'Stopped'} logging for ${r.trail.Name}`,
                  () => ct.send(on ? new StartLoggingCommand({ Name: r.trail.Name }) : new StopLoggingCommand({ Name: r.trail.Name })))} />
            ))}</tbody>
          </table>
        )}
      </AsyncView>
      {deleting && (
        <ConfirmDialog title="Delete trail" action="Delete" onClose={() => setDeleting(undefined)}
          onConfirm={async () => (await ct.send(new DeleteTrailCommand({ Name: deleting })), setNotice(`Deleted trail ${deleting}`), rows.reload())}>
          Delete the trail <strong>{deleting}</strong>? It stops delivering; files already delivered stay where they are.
        </ConfirmDialog>
      )}
    </>
  );
}

/** The latest delivery to the bucket and to the log group, each with its error if the last attempt failed. */
function Deliveries({ s }: { s: GetTrailStatusCommandOutput }) {
  const line = (label: string, at?: Date, err?: string) => (at || err) && (
    <div>{label}: {at ? formatTime(at) : 'never'}{err && <span className="error-code" style={{ color: 'var(--alarm)' }}> {err}</span>}</div>
  );
  const lines = [line('S3', s.LatestDeliveryTime, s.LatestDeliveryError), line('Logs', s.LatestCloudWatchLogsDeliveryTime, s.LatestCloudWatchLogsDeliveryError)].filter(Boolean);
  return lines.length ? <>{lines}</> : <span className="muted">none yet</span>;
}

function TrailRow({ row: { trail: t, status, statusError }, onLogging, onDelete }: {
  row: Row; onLogging: (on: boolean) => void; onDelete: () => void;
}) {
  const c = useSession();
  const home = t.HomeRegion === c.region;
  const group = logGroupNameOfArn(t.CloudWatchLogsLogGroupArn);
  return (
    <tr>
      <td>{home ? <Link to={`${cloudTrailLink({ tab: 'trails' })}&edit=${encodeURIComponent(t.Name ?? '')}`}>{t.Name}</Link> : t.Name}</td>
      <td>{t.HomeRegion}</td>
      <td>{t.IsMultiRegionTrail ? 'Yes' : 'No'}</td>
      <td>{t.S3BucketName}{t.S3KeyPrefix ? `/${t.S3KeyPrefix}` : ''}</td>
      <td>{group ?? '—'}</td>
      <td>
        {statusError ? <ErrorBox error={statusError} />
          : <span className={`badge ${status?.IsLogging ? 'badge-ok' : ''}`}>{status?.IsLogging ? 'Logging' : 'Off'}</span>}
      </td>
      <td>{status && <Deliveries s={status} />}</td>
      <td>
        {home ? (
          <div className="toolbar" style={{ margin: 0, flexWrap: 'nowrap' }}>
            {status?.IsLogging
              ? <button type="button" aria-label={`Stop logging ${t.Name}`} onClick={() => onLogging(false)}>Stop logging</button>
              : <button type="button" aria-label={`Start logging ${t.Name}`} onClick={() => onLogging(true)}>Start logging</button>}
            <button type="button" className="danger" aria-label={`Delete ${t.Name}`} onClick={onDelete}>Delete</button>
          </div>
        ) : <span className="muted">Managed in {t.HomeRegion}</span>}
      </td>
    </tr>
  );
}
