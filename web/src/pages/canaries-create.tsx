// "Create canary from a blueprint": the blueprint and its parameters, name, schedule (run once, a
// rate or cron), runtime version (DescribeRuntimeVersions, of the blueprint's family), artifact
// location and role. The code zip is built here in the browser, then CreateCanary, and StartCanary
// once the canary is READY; the console then opens the canary.
import { useState } from 'react';
import { CreateCanaryCommand, GetCanaryCommand, StartCanaryCommand, UpdateCanaryCommand, paginateDescribeRuntimeVersions, type SyntheticsClient } from '@aws-sdk/client-synthetics';
import { collect } from '../aws.ts';
import { field, formAction } from '../form-action.ts';
import { href, navigate } from '../router.ts';
import { ErrorBox, useAsync } from '../ui.tsx';
import { blueprints, type Blueprint } from '../../../src/services/synthetics/blueprints/index.ts';
import { useSynthetics } from './canaries-api.ts';
import { ParamFields } from './canaries-params.tsx';
import { SCHEDULES, blueprintZip, familyOf, isVisual, newestFirst, paramValue } from './canaries-blueprint.ts';

const READY_WAIT_MS = 30_000;

/** CreateCanary answers while the canary is CREATING; StartCanary needs it READY. */
async function whenReady(syn: SyntheticsClient, name: string): Promise<void> {
  const end = Date.now() + READY_WAIT_MS;
  for (;;) {
    const state = (await syn.send(new GetCanaryCommand({ Name: name }))).Canary?.Status?.State;
    if (state !== 'CREATING') return;
    if (Date.now() > end) throw new Error(`Canary ${name} is still CREATING after ${READY_WAIT_MS / 1000} s; start it from its page.`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function createFromForm(syn: SyntheticsClient, bp: Blueprint, f: FormData): Promise<string> {
  const params = Object.fromEntries(bp.params.map((p) => [p.name, paramValue(p, f.get(`param:${p.name}`) as string | null)]));
  const name = field(f, 'name');
  const schedule = field(f, 'schedule') === 'cron' ? field(f, 'cron') : field(f, 'schedule');
  const timeout = field(f, 'timeout');
  await syn.send(new CreateCanaryCommand({
    Name: name,
    Code: { ZipFile: blueprintZip(bp, params), Handler: bp.handler },
    ArtifactS3Location: field(f, 'artifacts'),
    ExecutionRoleArn: field(f, 'role'),
    Schedule: { Expression: schedule },
    RuntimeVersion: field(f, 'runtime'),
    RunConfig: timeout ? { TimeoutInSeconds: Number(timeout) } : undefined,
  }));
  // UpdateCanary and StartCanary both need the canary out of CREATING (a ConflictException otherwise).
  const visual = isVisual(bp);
  if (visual || f.get('start')) await whenReady(syn, name);
  // As CloudWatch's console does for visual monitoring: the first run's screenshots are the base.
  if (visual) await syn.send(new UpdateCanaryCommand({ Name: name, VisualReference: { BaseCanaryRunId: 'nextrun' } }));
  if (f.get('start')) await syn.send(new StartCanaryCommand({ Name: name }));
  return name;
}

export function CreateCanaryForm({ account = '000000000000' }: { account?: string }) {
  const syn = useSynthetics();
  const [error, setError] = useState<unknown>();
  const [bpName, setBpName] = useState(blueprints[0]!.name);
  const [schedule, setSchedule] = useState<string>(SCHEDULES[1][0]);
  const bp = blueprints.find((b) => b.name === bpName) ?? blueprints[0]!;
  const versions = useAsync(async () => (await collect(paginateDescribeRuntimeVersions({ client: syn }, {}), (p) => p.RuntimeVersions))
    .filter((v) => !v.DeprecationDate || v.DeprecationDate.getTime() > Date.now()).map((v) => v.VersionName!), []);
  const runtimes = newestFirst((versions.data ?? []).filter((v) => familyOf(v) === bp.runtimeFamily));
  const submit = formAction(setError)((f) => createFromForm(syn, bp, f), (name) => navigate(href('/canaries', { canary: name })));
  return (
    <form className="panel form" aria-label="Create canary" onSubmit={submit}>
      <h3>Create canary from a blueprint</h3>
      <label>Blueprint
        <select name="blueprint" value={bpName} onChange={(e) => setBpName(e.target.value)}>
          {blueprints.map((b) => <option key={b.name} value={b.name}>{b.title}</option>)}
        </select>
      </label>
      <p className="hint">{bp.description}</p>
      <ParamFields key={bp.name} blueprint={bp} />
      <label>Name <input name="name" required maxLength={255} pattern="[0-9a-z_\-]+" title="Lower-case letters, digits, - and _" /></label>
      <div className="row">
        <label>Schedule
          <select name="schedule" value={schedule} onChange={(e) => setSchedule(e.target.value)}>
            {SCHEDULES.map(([v, label]) => <option key={v} value={v}>{label}{v === 'cron' ? '' : ` — ${v}`}</option>)}
          </select>
        </label>
        {schedule === 'cron' && <label>Cron expression <input name="cron" required defaultValue="cron(0/10 * * * ? *)" /></label>}
        <label>Timeout (seconds) <input name="timeout" type="number" min={3} max={840} placeholder="default" /></label>
      </div>
      <label>Runtime version
        {versions.error ? <ErrorBox error={versions.error} /> : (
          <select name="runtime" required key={bp.runtimeFamily}>{runtimes.map((v) => <option key={v}>{v}</option>)}</select>
        )}
      </label>
      <label>Artifact location <input name="artifacts" required placeholder="s3://bucket/prefix" /></label>
      <label>Execution role ARN <input name="role" required defaultValue={`arn:aws:iam::${account}:role/CloudWatchSyntheticsRole`} key={account} /></label>
      <label><input type="checkbox" name="start" defaultChecked /> Start the canary after creating it</label>
      <ErrorBox error={error} />
      <div><button type="submit" className="primary">Create canary</button></div>
    </form>
  );
}
