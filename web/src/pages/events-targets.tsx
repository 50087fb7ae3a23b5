// A rule's targets: the list (ARN, input, retry policy, dead-letter queue), remove behind a
// confirmation, and a form to add a target by ARN with an optional Input / InputPath /
// InputTransformer, RetryPolicy and DeadLetterConfig.
import { useState } from 'react';
import { PutTargetsCommand, RemoveTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { useSession } from '../app-context.ts';
import { field, formAction } from '../form-action.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Notice, useAsync } from '../ui.tsx';
import { listTargets, throwFailed } from './events-api.ts';

type InputKind = 'none' | 'input' | 'path' | 'transformer';

function describeInput(t: Target): string {
  if (t.Input !== undefined) return `Input: ${t.Input}`;
  if (t.InputPath !== undefined) return `InputPath: ${t.InputPath}`;
  if (t.InputTransformer) return `InputTransformer: ${JSON.stringify(t.InputTransformer.InputPathsMap ?? {})} → ${t.InputTransformer.InputTemplate}`;
  return 'Matched event';
}

function describeDelivery(t: Target): string {
  const parts: string[] = [];
  if (t.RetryPolicy?.MaximumRetryAttempts !== undefined) parts.push(`${t.RetryPolicy.MaximumRetryAttempts} retries`);
  if (t.RetryPolicy?.MaximumEventAgeInSeconds !== undefined) parts.push(`max age ${t.RetryPolicy.MaximumEventAgeInSeconds}s`);
  if (t.DeadLetterConfig?.Arn) parts.push(`DLQ ${t.DeadLetterConfig.Arn}`);
  return parts.join(' · ') || 'Defaults';
}

/** The target a form describes; a field left empty stays out of the request. */
function targetFrom(f: FormData): Target {
  const kind = field(f, 'inputKind') as InputKind;
  const num = (k: string) => (field(f, k) === '' ? undefined : Number(field(f, k)));
  const retry = { MaximumRetryAttempts: num('maxRetries'), MaximumEventAgeInSeconds: num('maxAge') };
  let paths: Record<string, string> | undefined;
  if (kind === 'transformer' && field(f, 'pathsMap')) paths = JSON.parse(field(f, 'pathsMap')) as Record<string, string>;
  return {
    Id: field(f, 'id'), Arn: field(f, 'arn'),
    Input: kind === 'input' ? field(f, 'input') : undefined,
    InputPath: kind === 'path' ? field(f, 'inputPath') : undefined,
    InputTransformer: kind === 'transformer' ? { InputPathsMap: paths, InputTemplate: field(f, 'template') } : undefined,
    RetryPolicy: retry.MaximumRetryAttempts !== undefined || retry.MaximumEventAgeInSeconds !== undefined ? retry : undefined,
    DeadLetterConfig: field(f, 'dlq') ? { Arn: field(f, 'dlq') } : undefined,
  };
}

function AddTargetForm({ bus, rule, onAdded }: { bus: string; rule: string; onAdded: (id: string) => void }) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const [kind, setKind] = useState<InputKind>('none');
  const add = formAction(setError)(async (f) => {
    const target = targetFrom(f);
    throwFailed((await c.events.send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [target] }))).FailedEntries);
    return target.Id!;
  }, (id) => (setKind('none'), onAdded(id)));
  return (
    <form className="form" onSubmit={add} aria-label="Add target">
      <h4 style={{ margin: 0 }}>Add target</h4>
      <div className="row">
        <label>Target ID<input name="id" required /></label>
        <label>Target ARN<input name="arn" required placeholder="arn:aws:sns:…, arn:aws:lambda:…, arn:aws:logs:…" /></label>
      </div>
      <label>Input to target<select name="inputKind" value={kind} onChange={(e) => setKind(e.target.value as InputKind)}>
        <option value="none">Matched event</option><option value="input">Constant (Input)</option>
        <option value="path">Part of the event (InputPath)</option><option value="transformer">Input transformer</option>
      </select></label>
      {kind === 'input' && <label>Input (JSON)<input name="input" required defaultValue='{"hello":"world"}' /></label>}
      {kind === 'path' && <label>InputPath<input name="inputPath" required defaultValue="$.detail" /></label>}
      {kind === 'transformer' && (
        <>
          <label>InputPathsMap (JSON)<input name="pathsMap" defaultValue='{"id":"$.detail.orderId"}' /></label>
          <label>InputTemplate<input name="template" required defaultValue='"Order <id> placed"' /></label>
        </>
      )}
      <div className="row">
        <label>Maximum retry attempts<input name="maxRetries" type="number" min={0} max={185} /></label>
        <label>Maximum event age (s)<input name="maxAge" type="number" min={60} max={86400} /></label>
        <label>Dead-letter queue ARN<input name="dlq" placeholder="arn:aws:sqs:…" /></label>
      </div>
      <ErrorBox error={error} />
      <div><button type="submit">Add target</button></div>
    </form>
  );
}

export function TargetsPanel({ bus, rule }: { bus: string; rule: string }) {
  const c = useSession();
  const targets = useAsync(() => listTargets(c.events, bus, rule), [bus, rule]);
  const [removing, setRemoving] = useState<string>();
  const [added, setAdded] = useState<string>();
  const remove = async (id: string) => {
    const r = await c.events.send(new RemoveTargetsCommand({ Rule: rule, EventBusName: bus, Ids: [id] }));
    throwFailed(r.FailedEntries);
    targets.reload();
  };
  return (
    <div className="panel" style={{ marginTop: 12 }}>
      <h4 style={{ marginTop: 0 }}>Targets</h4>
      <AsyncView state={targets} isEmpty={(t) => t.length === 0} empty="No targets: matched events go nowhere.">
        {(list) => (
          <table aria-label="Targets">
            <thead><tr><th>ID</th><th>ARN</th><th>Input</th><th>Delivery</th><th /></tr></thead>
            <tbody>{list.map((t) => (
              <tr key={t.Id}>
                <td>{t.Id}</td><td className="msg">{t.Arn}</td><td className="msg">{describeInput(t)}</td><td>{describeDelivery(t)}</td>
                <td><button type="button" aria-label={`Remove target ${t.Id}`} onClick={() => setRemoving(t.Id)}>Remove</button></td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
      {added && <Notice>Added target {added}</Notice>}
      <AddTargetForm bus={bus} rule={rule} onAdded={(id) => (setAdded(id), targets.reload())} />
      {removing && (
        <ConfirmDialog title="Remove target" action="Remove" onClose={() => setRemoving(undefined)} onConfirm={() => remove(removing)}>
          Stop sending this rule's events to the target <strong>{removing}</strong>?
        </ConfirmDialog>
      )}
    </div>
  );
}
