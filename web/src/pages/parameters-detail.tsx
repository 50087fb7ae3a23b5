// One parameter: its settings (DescribeParameters), its value (GetParameter; a SecureString stays
// masked until "Show" reads it WithDecryption), tags, its history (GetParameterHistory, every
// version with its labels; labels are added and removed here) and delete behind a confirmation.
import { useState } from 'react';
import {
  DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, LabelParameterVersionCommand, ListTagsForResourceCommand,
  UnlabelParameterVersionCommand, paginateGetParameterHistory, type ParameterMetadata,
} from '@aws-sdk/client-ssm';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { field, formAction } from '../form-action.ts';
import { navigate } from '../router.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Link, Loading, useAsync } from '../ui.tsx';
import { formatTime } from '../time.ts';
import { EntryError } from './events-api.ts';
import { parameterLink, parentPath } from './parameters-api.ts';

const MASK = '••••••••';

export function ParameterDetail({ name }: { name: string }) {
  const c = useSession();
  const [deleting, setDeleting] = useState(false);
  const meta = useAsync(async () => {
    const r = await c.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }));
    const m = r.Parameters?.find((p) => p.Name === name);
    // DescribeParameters finds nothing for a missing name; GetParameter answers AWS's ParameterNotFound.
    if (!m) await c.ssm.send(new GetParameterCommand({ Name: name }));
    return m!;
  }, [name]);
  const back = parentPath(name);
  const backLink = <Link to={parameterLink({ path: back || undefined })}>← {back || 'Parameters'}</Link>;
  if (meta.error) return <div className="panel">{backLink}<ErrorBox error={meta.error} /></div>;
  if (!meta.data) return <Loading what="Loading parameter" />;
  const m = meta.data;
  return (
    <div className="panel">
      <div className="toolbar">
        {backLink}
        <h3 style={{ margin: 0 }}>{name}</h3>
        <span className="badge">{m.Type}</span>
        <span className="spacer" />
        <Link to={parameterLink({ edit: name })}>Edit</Link>
        <button type="button" aria-label={`Delete ${name}`} onClick={() => setDeleting(true)}>Delete</button>
      </div>
      <Settings m={m} />
      <ValueView name={name} secure={m.Type === 'SecureString'} version={m.Version} />
      <Tags name={name} />
      <History name={name} secure={m.Type === 'SecureString'} />
      {deleting && (
        <ConfirmDialog title="Delete parameter" action="Delete" onClose={() => setDeleting(false)}
          onConfirm={async () => (await c.ssm.send(new DeleteParameterCommand({ Name: name })), navigate(parameterLink({ path: back || undefined })))}>
          Delete the parameter <strong>{name}</strong> and all of its versions? This cannot be undone.
        </ConfirmDialog>
      )}
    </div>
  );
}

function Settings({ m }: { m: ParameterMetadata }) {
  return (
    <dl className="muted" aria-label="Parameter details">
      <dt>Version</dt><dd>{m.Version}</dd>
      <dt>Tier</dt><dd>{m.Tier}</dd>
      <dt>Data type</dt><dd>{m.DataType}</dd>
      {m.Description && <><dt>Description</dt><dd>{m.Description}</dd></>}
      {m.AllowedPattern && <><dt>Allowed pattern</dt><dd><code>{m.AllowedPattern}</code></dd></>}
      {m.KeyId && <><dt>KMS key</dt><dd><code>{m.KeyId}</code></dd></>}
      <dt>Last modified</dt><dd>{formatTime(m.LastModifiedDate)}{m.LastModifiedUser ? ` by ${m.LastModifiedUser}` : ''}</dd>
    </dl>
  );
}

function ValueView({ name, secure, version }: { name: string; secure: boolean; version?: number }) {
  const c = useSession();
  const [shown, setShown] = useState(!secure);
  const value = useAsync(async () => {
    if (!shown) return undefined;
    const r = await c.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: secure }));
    return r.Parameter;
  }, [name, shown, version]);
  return (
    <section aria-label="Value">
      <div className="toolbar" style={{ marginBottom: 4 }}>
        <h4 style={{ margin: 0 }}>Value</h4>
        {secure && <button type="button" onClick={() => setShown((s) => !s)}>{shown ? 'Hide' : 'Show'}</button>}
      </div>
      {!shown ? <pre aria-label="Parameter value">{MASK}</pre>
        : value.error ? <ErrorBox error={value.error} />
          : !value.data ? <Loading what="Reading value" />
            : <pre aria-label="Parameter value">{value.data.Value}</pre>}
    </section>
  );
}

function Tags({ name }: { name: string }) {
  const c = useSession();
  const tags = useAsync(() => c.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name })), [name]);
  if (!tags.data?.TagList?.length) return tags.error ? <ErrorBox error={tags.error} /> : null;
  return (
    <p aria-label="Tags">Tags: {tags.data.TagList.map((t) => <span key={t.Key} className="badge" style={{ marginRight: 4 }}>{t.Key}={t.Value}</span>)}</p>
  );
}

function History({ name, secure }: { name: string; secure: boolean }) {
  const c = useSession();
  const [reveal, setReveal] = useState(false);
  const [error, setError] = useState<unknown>();
  const history = useAsync(
    () => collect(paginateGetParameterHistory({ client: c.ssm }, { Name: name, WithDecryption: secure && reveal }), (p) => p.Parameters),
    [name, reveal],
  );
  const unlabel = async (version: number, label: string) => {
    setError(undefined);
    try {
      await c.ssm.send(new UnlabelParameterVersionCommand({ Name: name, ParameterVersion: version, Labels: [label] }));
      history.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-label="History">
      <div className="toolbar" style={{ marginBottom: 4 }}>
        <h4 style={{ margin: 0 }}>History</h4>
        {secure && <button type="button" onClick={() => setReveal((r) => !r)}>{reveal ? 'Hide values' : 'Show values'}</button>}
      </div>
      <ErrorBox error={error} />
      <AsyncView state={history} isEmpty={(h) => h.length === 0} empty="No versions.">
        {(list) => (
          <table aria-label="Parameter history">
            <thead><tr><th>Version</th><th>Modified</th><th>By</th><th>Value</th><th>Labels</th><th>Description</th></tr></thead>
            <tbody>{[...list].reverse().map((v) => (
              <tr key={v.Version}>
                <td>{v.Version}</td>
                <td>{formatTime(v.LastModifiedDate)}</td>
                <td className="msg">{v.LastModifiedUser}</td>
                <td className="msg">{secure && !reveal ? MASK : v.Value}</td>
                <td>{(v.Labels ?? []).map((l) => (
                  <span key={l} className="badge" style={{ marginRight: 4 }}>{l}{' '}
                    <button type="button" aria-label={`Remove label ${l}`} onClick={() => void unlabel(v.Version!, l)}
                      style={{ border: 0, background: 'none', color: 'inherit', padding: 0, height: 'auto', cursor: 'pointer' }}>×</button>
                  </span>
                ))}</td>
                <td className="msg">{v.Description}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
      {history.data && history.data.length > 0 && (
        <LabelForm name={name} versions={history.data.map((v) => v.Version!)} onLabelled={history.reload} />
      )}
    </section>
  );
}

function LabelForm({ name, versions, onLabelled }: { name: string; versions: number[]; onLabelled: () => void }) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const submit = formAction(setError)(async (f) => {
    const r = await c.ssm.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: Number(field(f, 'version')), Labels: [field(f, 'label')] }));
    if (r.InvalidLabels?.length) throw new EntryError('InvalidLabels', `Not a valid label: ${r.InvalidLabels.join(', ')}`);
  }, onLabelled);
  const latest = Math.max(...versions);
  return (
    <form className="toolbar" aria-label="Add label" onSubmit={submit} style={{ marginTop: 8 }}>
      <select name="version" aria-label="Version" defaultValue={latest}>{[...versions].reverse().map((v) => <option key={v} value={v}>Version {v}</option>)}</select>
      <input name="label" aria-label="Label" placeholder="Label, e.g. prod" required />
      <button type="submit">Add label</button>
      <ErrorBox error={error} />
    </form>
  );
}
