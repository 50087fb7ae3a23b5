// X-Ray account settings: the encryption config (documents stored from now on sealed with a KMS key,
// or not), the resource policies that grant other services and accounts access (add / replace by
// name, delete), and where segments go and how many traces are indexed.
import { useState } from 'react';
import {
  DeleteResourcePolicyCommand, GetEncryptionConfigCommand, GetIndexingRulesCommand, GetTraceSegmentDestinationCommand, ListResourcePoliciesCommand,
  PutEncryptionConfigCommand, PutResourcePolicyCommand, type ResourcePolicy,
} from '@aws-sdk/client-xray';
import { field, formAction } from '../form-action.ts';
import { formatTime } from '../time.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Notice, useAsync } from '../ui.tsx';
import { useXray } from './xray-api.ts';

export function SettingsTab() {
  return (
    <>
      <EncryptionPanel />
      <PoliciesPanel />
      <StoragePanel />
    </>
  );
}

function EncryptionPanel() {
  const xray = useXray();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const config = useAsync(async () => (await xray.send(new GetEncryptionConfigCommand({}))).EncryptionConfig, []);
  const [type, setType] = useState<'NONE' | 'KMS'>();
  const save = formAction(setError)(async (f) => {
    const t = field(f, 'type') as 'NONE' | 'KMS';
    return (await xray.send(new PutEncryptionConfigCommand(t === 'KMS' ? { Type: 'KMS', KeyId: field(f, 'keyId') } : { Type: 'NONE' }))).EncryptionConfig;
  }, (c) => (setNotice(c?.Type === 'KMS' ? `Trace data is now encrypted with ${c.KeyId}` : 'Trace data is now stored without a KMS key'), setType(undefined), config.reload()));
  return (
    <div className="panel">
      <h3>Encryption</h3>
      {notice && <Notice>{notice}</Notice>}
      <AsyncView state={config}>
        {(c) => {
          const chosen = type ?? (c?.Type === 'KMS' ? 'KMS' : 'NONE');
          return (
            <form className="form" aria-label="Encryption" onSubmit={save}>
              <p className="muted" style={{ margin: 0 }} aria-label="Current encryption">
                {c?.Type === 'KMS' ? <>Encrypted with <code>{c.KeyId}</code> ({c.Status})</> : <>Default encryption, no KMS key ({c?.Status})</>}
              </p>
              <div className="row">
                <label>Encryption type<select name="type" value={chosen} onChange={(e) => setType(e.target.value as 'NONE' | 'KMS')}>
                  <option value="NONE">Default (no KMS key)</option><option value="KMS">AWS KMS key</option>
                </select></label>
                {chosen === 'KMS' && <label>KMS key (id, alias/name or ARN)<input name="keyId" required defaultValue={c?.KeyId ?? ''} placeholder="alias/traces" /></label>}
              </div>
              <ErrorBox error={error} />
              <div><button type="submit" className="primary">Save encryption</button></div>
            </form>
          );
        }}
      </AsyncView>
    </div>
  );
}

function PoliciesPanel() {
  const xray = useXray();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [deleting, setDeleting] = useState<ResourcePolicy>();
  const policies = useAsync(async () => (await xray.send(new ListResourcePoliciesCommand({}))).ResourcePolicies ?? [], []);
  const put = formAction(setError)(
    (f) => xray.send(new PutResourcePolicyCommand({ PolicyName: field(f, 'name'), PolicyDocument: String(f.get('document') ?? '') })),
    (r) => (setNotice(`Saved resource policy ${r.ResourcePolicy?.PolicyName} (revision ${r.ResourcePolicy?.PolicyRevisionId})`), policies.reload()),
  );
  return (
    <div className="panel">
      <h3>Resource policies</h3>
      {notice && <Notice>{notice}</Notice>}
      <AsyncView state={policies} isEmpty={(p) => p.length === 0} empty="No resource policies.">
        {(list) => (
          <table aria-label="Resource policies">
            <thead><tr><th>Name</th><th>Revision</th><th>Updated</th><th>Document</th><th /></tr></thead>
            <tbody>{list.map((p) => (
              <tr key={p.PolicyName}>
                <td>{p.PolicyName}</td><td>{p.PolicyRevisionId}</td><td>{formatTime(p.LastUpdatedTime)}</td>
                <td><pre style={{ margin: 0, whiteSpace: 'pre-wrap', maxWidth: 560 }}>{pretty(p.PolicyDocument)}</pre></td>
                <td><button type="button" className="danger" onClick={() => setDeleting(p)}>Delete</button></td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
      <form className="form" aria-label="Put resource policy" onSubmit={put} style={{ marginTop: 12 }}>
        <h4 style={{ margin: 0 }}>Add or replace a policy</h4>
        <label>Policy name<input name="name" required maxLength={128} /></label>
        <label>Policy document (JSON, up to 5 KB)<textarea name="document" required spellCheck={false} rows={8}
          placeholder='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"xray:PutTraceSegments","Resource":"*"}]}' /></label>
        <ErrorBox error={error} />
        <div><button type="submit">Save policy</button></div>
      </form>
      {deleting && (
        <ConfirmDialog title={`Delete resource policy ${deleting.PolicyName}?`} action="Delete policy" onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            // The revision makes the delete conditional: a policy changed meanwhile is not removed unseen.
            await xray.send(new DeleteResourcePolicyCommand({ PolicyName: deleting.PolicyName, PolicyRevisionId: deleting.PolicyRevisionId }));
            setNotice(`Deleted resource policy ${deleting.PolicyName}`);
            policies.reload();
          }}>
          Services and accounts it grants lose that access.
        </ConfirmDialog>
      )}
    </div>
  );
}

function pretty(doc: string | undefined): string {
  try {
    return JSON.stringify(JSON.parse(doc ?? ''), null, 2);
  } catch {
    return doc ?? '';
  }
}

function StoragePanel() {
  const xray = useXray();
  const info = useAsync(async () => {
    const [d, rules] = await Promise.all([xray.send(new GetTraceSegmentDestinationCommand({})), xray.send(new GetIndexingRulesCommand({}))]);
    return { destination: d, indexed: rules.IndexingRules?.[0]?.Rule?.Probabilistic?.ActualSamplingPercentage };
  }, []);
  return (
    <div className="panel">
      <h3>Segment destination and indexing</h3>
      <AsyncView state={info}>
        {({ destination, indexed }) => (
          <dl className="muted" aria-label="Segment destination">
            <dt>Destination</dt><dd>{destination.Destination} ({destination.Status})</dd>
            <dt>Traces indexed</dt><dd>{indexed ?? '—'} %</dd>
          </dl>
        )}
      </AsyncView>
    </div>
  );
}
