// Create / edit a trail: name, where it delivers (bucket and prefix; a log group ARN with the role
// CloudTrail would assume), multi-Region, log file validation, which events it logs (management
// events read/write, data events per resource type, as advanced selectors) and Insights types.
// Saving is CreateTrail/UpdateTrail, then PutEventSelectors and PutInsightSelectors (and StartLogging
// for a new trail when asked); if a later step fails, the trail exists and the form turns to editing it.
import { useState, type FormEvent } from 'react';
import {
  CreateTrailCommand, GetEventSelectorsCommand, GetInsightSelectorsCommand, GetTrailCommand, PutEventSelectorsCommand,
  PutInsightSelectorsCommand, StartLoggingCommand, UpdateTrailCommand, type InsightType, type Trail,
} from '@aws-sdk/client-cloudtrail';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useSession } from '../app-context.ts';
import { field } from '../form-action.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Link, Loading, useAsync } from '../ui.tsx';
import { cloudTrailLink, useCloudTrail } from './cloudtrail-api.ts';
import { advancedSelectors, choicesOf, DATA_TYPES, INSIGHT_TYPES, type EventChoices, type ReadWrite } from './cloudtrail-selectors.ts';

interface Existing { trail: Trail; choices: EventChoices; exact: boolean; insights: string[] }

export function TrailForm({ name }: { name?: string }) {
  const ct = useCloudTrail();
  const existing = useAsync(async (): Promise<Existing | undefined> => {
    if (!name) return undefined;
    const { Trail: trail } = await ct.send(new GetTrailCommand({ Name: name }));
    const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: name }));
    // GetInsightSelectors answers InsightNotEnabledException for a trail without them.
    const insights = trail?.HasInsightSelectors ? (await ct.send(new GetInsightSelectorsCommand({ TrailName: name }))).InsightSelectors ?? [] : [];
    return { trail: trail ?? {}, ...choicesOf(selectors), insights: insights.map((i) => i.InsightType ?? '') };
  }, [name]);
  return (
    <>
      <div className="toolbar">
        <Link to={cloudTrailLink({ tab: 'trails' })}>← Trails</Link>
        <h3 style={{ margin: 0 }}>{name ? `Edit trail ${name}` : 'Create trail'}</h3>
      </div>
      {existing.error ? <ErrorBox error={existing.error} />
        : name && !existing.data ? <Loading what="Loading trail" />
          : <TrailFormBody existing={existing.data} />}
    </>
  );
}

function LogGroupFields({ trail }: { trail?: Trail }) {
  const c = useSession();
  // The group's ARN as CloudTrail takes it (`…:log-group:<name>:*`), offered from the account's groups.
  const groups = useAsync(async () => (await c.logs.send(new DescribeLogGroupsCommand({ limit: 50 }))).logGroups ?? [], []);
  const account = trail?.TrailARN?.split(':')[4];
  return (
    <fieldset aria-label="CloudWatch Logs">
      <legend>CloudWatch Logs (optional)</legend>
      <div className="row">
        <label>Log group ARN
          <input name="logGroupArn" list="cloudtrail-log-groups" defaultValue={trail?.CloudWatchLogsLogGroupArn ?? ''}
            placeholder={`arn:aws:logs:${c.region}:<account>:log-group:CloudTrail/logs:*`} />
          <datalist id="cloudtrail-log-groups">{groups.data?.map((g) => <option key={g.arn} value={g.arn} />)}</datalist>
        </label>
        <label>Role ARN
          <input name="roleArn" defaultValue={trail?.CloudWatchLogsRoleArn ?? ''}
            placeholder={`arn:aws:iam::${account ?? '<account>'}:role/CloudTrail_CloudWatchLogs_Role`} />
        </label>
      </div>
    </fieldset>
  );
}

function EventFields({ existing }: { existing?: Existing }) {
  const [management, setManagement] = useState(existing?.choices.management ?? true);
  const choices = existing?.choices;
  return (
    <fieldset aria-label="Events">
      <legend>Events</legend>
      {existing && !existing.exact && (
        <p className="muted" role="note">This trail has event selectors the form cannot show in full; saving replaces them with the choices below.</p>
      )}
      <div className="row">
        <label><span><input type="checkbox" name="management" checked={management} onChange={(e) => setManagement(e.target.checked)} /> Management events</span></label>
        <label>API activity
          <select name="readWrite" disabled={!management} defaultValue={choices?.readWrite ?? 'All'}>
            <option value="All">Read and Write</option><option value="ReadOnly">Read only</option><option value="WriteOnly">Write only</option>
          </select>
        </label>
      </div>
      <div role="group" aria-label="Data events">
        <div className="muted">Data events</div>
        {DATA_TYPES.map((d) => (
          <label key={d.type}><span><input type="checkbox" name="dataType" value={d.type} defaultChecked={choices?.dataTypes.includes(d.type)} /> {d.label}</span></label>
        ))}
      </div>
      <div role="group" aria-label="Insights events">
        <div className="muted">Insights events</div>
        {INSIGHT_TYPES.map((t) => (
          <label key={t}><span><input type="checkbox" name="insightType" value={t} defaultChecked={existing?.insights.includes(t)} /> {t}</span></label>
        ))}
      </div>
    </fieldset>
  );
}

/** Every request a submitted form describes, for the trail named `name`. */
function requestsFrom(f: FormData, name: string) {
  const settings = {
    Name: name, S3BucketName: field(f, 'bucket'), S3KeyPrefix: field(f, 'prefix'),
    IsMultiRegionTrail: f.get('multiRegion') === 'on', EnableLogFileValidation: f.get('validation') === 'on',
    CloudWatchLogsLogGroupArn: field(f, 'logGroupArn'), CloudWatchLogsRoleArn: field(f, 'roleArn'),
  };
  const choices: EventChoices = {
    management: f.get('management') === 'on', readWrite: (field(f, 'readWrite') || 'All') as ReadWrite, dataTypes: f.getAll('dataType').map(String),
  };
  const insights = f.getAll('insightType').map((t) => ({ InsightType: String(t) as InsightType }));
  return { settings, selectors: advancedSelectors(choices), insights, start: f.get('startLogging') === 'on' };
}

function TrailFormBody({ existing }: { existing?: Existing }) {
  const ct = useCloudTrail();
  const t = existing?.trail;
  // Set once CreateTrail succeeded: a retry after a failed later step updates the trail it made.
  const [created, setCreated] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const name = t?.Name ?? created ?? field(f, 'name');
    const r = requestsFrom(f, name);
    setBusy(true);
    setError(undefined);
    try {
      if (t || created) await ct.send(new UpdateTrailCommand(r.settings));
      else {
        // CreateTrail treats '' as a value; a new trail simply leaves out what is not set.
        const s = r.settings;
        await ct.send(new CreateTrailCommand({ ...s, S3KeyPrefix: s.S3KeyPrefix || undefined,
          CloudWatchLogsLogGroupArn: s.CloudWatchLogsLogGroupArn || undefined, CloudWatchLogsRoleArn: s.CloudWatchLogsRoleArn || undefined }));
        setCreated(name);
      }
      await ct.send(new PutEventSelectorsCommand({ TrailName: name, AdvancedEventSelectors: r.selectors }));
      if (r.insights.length || existing?.insights.length) await ct.send(new PutInsightSelectorsCommand({ TrailName: name, InsightSelectors: r.insights }));
      if (r.start) await ct.send(new StartLoggingCommand({ Name: name }));
      navigate(cloudTrailLink({ tab: 'trails' }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form className="form" style={{ maxWidth: 820 }} onSubmit={(e) => void submit(e)} aria-label="Trail">
      <div className="row">
        <label>Trail name<input name="name" required defaultValue={t?.Name ?? created ?? ''} readOnly={!!(t || created)} autoFocus={!t} /></label>
        <label>S3 bucket name<input name="bucket" required defaultValue={t?.S3BucketName ?? ''} /></label>
        <label>S3 key prefix<input name="prefix" defaultValue={t?.S3KeyPrefix ?? ''} /></label>
      </div>
      <div className="row">
        <label><span><input type="checkbox" name="multiRegion" defaultChecked={t?.IsMultiRegionTrail ?? false} /> Multi-Region trail</span></label>
        <label><span><input type="checkbox" name="validation" defaultChecked={t?.LogFileValidationEnabled ?? false} /> Log file validation</span></label>
        {!t && <label><span><input type="checkbox" name="startLogging" defaultChecked /> Start logging when created</span></label>}
      </div>
      <LogGroupFields trail={t} />
      <EventFields existing={existing} />
      <ErrorBox error={error} />
      <div><button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : t ? 'Save trail' : created ? 'Save trail' : 'Create trail'}</button></div>
    </form>
  );
}
