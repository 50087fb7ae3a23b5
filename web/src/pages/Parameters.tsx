// Systems Manager Parameter Store: the parameters (DescribeParameters with Name and Path filters,
// paged by NextToken), browsed by hierarchy (the sub-paths of the current path, with breadcrumbs), a
// parameter's value, history and labels (parameters-detail.tsx) and the create / edit form
// (parameters-form.tsx). The URL holds path, name, match, p (the parameter shown) and edit.
import { useState } from 'react';
import { DescribeParametersCommand, paginateDescribeParameters, type ParameterStringFilter } from '@aws-sdk/client-ssm';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { navigate, useQueryState } from '../router.ts';
import { AsyncView, Link, useAsync } from '../ui.tsx';
import { formatTime } from '../time.ts';
import { ParameterDetail } from './parameters-detail.tsx';
import { ParameterForm } from './parameters-form.tsx';
import { parameterLink, subPaths } from './parameters-api.ts';

const PAGE_SIZE = 50;
/** How many names the folder view reads to find the sub-paths of a path. */
const FOLDER_SCAN = 1000;
const MATCHES = ['BeginsWith', 'Contains', 'Equals'] as const;

export default function Parameters() {
  const [q] = useQueryState();
  const edit = q.get('edit');
  const p = q.get('p');
  return (
    <>
      <div className="toolbar">
        <h2>Parameter Store</h2>
        <span className="spacer" />
        {edit === null && <button type="button" className="primary" onClick={() => navigate(`${parameterLink({ path: q.get('path') ?? undefined })}${q.get('path') ? '&' : '?'}edit=`)}>Create parameter</button>}
      </div>
      {edit !== null ? <ParameterForm key={edit} name={edit || undefined} path={q.get('path') ?? ''} />
        : p ? <ParameterDetail key={p} name={p} />
          : <Browser />}
    </>
  );
}

function Breadcrumbs({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean);
  return (
    <nav aria-label="Hierarchy" className="toolbar" style={{ marginBottom: 8 }}>
      <Link to={parameterLink({})}>All parameters</Link>
      {parts.map((seg, i) => {
        const to = `/${parts.slice(0, i + 1).join('/')}`;
        return <span key={to}> / {i === parts.length - 1 ? <strong>{seg}</strong> : <Link to={parameterLink({ path: to })}>{seg}</Link>}</span>;
      })}
    </nav>
  );
}

function Folders({ path }: { path: string }) {
  const c = useSession();
  const folders = useAsync(async () => {
    const filters: ParameterStringFilter[] = path ? [{ Key: 'Path', Option: 'Recursive', Values: [path] }] : [];
    const items = await collect(paginateDescribeParameters({ client: c.ssm, pageSize: 50 }, { ParameterFilters: filters }), (pg) => pg.Parameters, FOLDER_SCAN);
    return subPaths(items.map((i) => i.Name ?? ''), path || '/');
  }, [path]);
  if (!folders.data?.length) return null;
  return (
    <ul className="list" aria-label="Paths" style={{ marginBottom: 12 }}>
      {folders.data.map((f) => <li key={f}>📁 <Link to={parameterLink({ path: f })}>{f}/</Link></li>)}
    </ul>
  );
}

function FilterForm({ name, match, path }: { name: string; match: string; path: string }) {
  const [, setQ] = useQueryState();
  return (
    <form className="toolbar" aria-label="Filter parameters" onSubmit={(e) => {
      e.preventDefault();
      const f = new FormData(e.currentTarget);
      setQ({ name: String(f.get('name') ?? '').trim(), match: String(f.get('match')), path: String(f.get('path') ?? '').trim().replace(/(.)\/$/, '$1') }, true);
    }}>
      <input name="name" aria-label="Name filter" placeholder="Name" defaultValue={name} />
      <select name="match" aria-label="Name match" defaultValue={match}>{MATCHES.map((m) => <option key={m}>{m}</option>)}</select>
      <input name="path" aria-label="Path" placeholder="/path (one level)" defaultValue={path} />
      <button type="submit">Filter</button>
    </form>
  );
}

function Browser() {
  const c = useSession();
  const [q] = useQueryState();
  const path = q.get('path') ?? '';
  const name = q.get('name') ?? '';
  const match = q.get('match') ?? 'BeginsWith';
  const key = `${path}|${name}|${match}`;
  // tokens[i] is the NextToken that reads page i; a new filter starts again at the first page.
  const [paging, setPaging] = useState<{ key: string; tokens: (string | undefined)[] }>({ key, tokens: [undefined] });
  const tokens = paging.key === key ? paging.tokens : [undefined];
  const token = tokens[tokens.length - 1];
  const page = useAsync(async () => {
    const filters: ParameterStringFilter[] = [];
    if (path) filters.push({ Key: 'Path', Option: 'OneLevel', Values: [path] });
    if (name) filters.push({ Key: 'Name', Option: match, Values: [name] });
    const r = await c.ssm.send(new DescribeParametersCommand({ ParameterFilters: filters, MaxResults: PAGE_SIZE, NextToken: token }));
    return { items: r.Parameters ?? [], next: r.NextToken };
  }, [path, name, match, token]);
  const move = (t: (string | undefined)[]) => setPaging({ key, tokens: t });
  return (
    <div className="panel">
      <FilterForm key={key} name={name} match={match} path={path} />
      <Breadcrumbs path={path} />
      <Folders path={path} />
      <AsyncView state={page} isEmpty={(p) => p.items.length === 0 && tokens.length === 1} empty={path ? `No parameters directly under ${path}.` : 'No parameters.'}>
        {(p) => (
          <>
            <table aria-label="Parameters">
              <thead><tr><th>Name</th><th>Type</th><th>Tier</th><th>Version</th><th>Last modified</th><th>Description</th></tr></thead>
              <tbody>{p.items.map((i) => (
                <tr key={i.Name}>
                  <td><Link to={parameterLink({ p: i.Name })}>{i.Name}</Link></td>
                  <td>{i.Type}</td><td>{i.Tier}</td><td>{i.Version}</td>
                  <td>{formatTime(i.LastModifiedDate)}</td><td className="msg">{i.Description}</td>
                </tr>
              ))}</tbody>
            </table>
            {(tokens.length > 1 || p.next) && (
              <div className="toolbar" role="group" aria-label="Pages">
                <button type="button" disabled={tokens.length === 1} onClick={() => move(tokens.slice(0, -1))}>Previous page</button>
                <span className="muted">Page {tokens.length}</span>
                <button type="button" disabled={!p.next} onClick={() => move([...tokens, p.next])}>Next page</button>
              </div>
            )}
          </>
        )}
      </AsyncView>
    </div>
  );
}
