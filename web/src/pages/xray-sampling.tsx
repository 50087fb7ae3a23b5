// X-Ray sampling rules: every rule by priority with what the SDKs applying it reported in the last
// ten minutes (GetSamplingStatisticSummaries: requests seen, traces sampled, borrowed), the create /
// edit form (matching fields, reservoir per second, fixed rate, tags) and delete. The Default rule
// can only change its reservoir and rate, as on AWS.
import { useState } from 'react';
import {
  CreateSamplingRuleCommand, DeleteSamplingRuleCommand, GetSamplingRulesCommand, GetSamplingStatisticSummariesCommand,
  UpdateSamplingRuleCommand, type SamplingRule, type SamplingStatisticSummary,
} from '@aws-sdk/client-xray';
import { field } from '../form-action.ts';
import { useQueryState } from '../router.ts';
import { parseTags, tagsText } from '../tags.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Loading, Notice, useAsync } from '../ui.tsx';
import { formatTime } from '../time.ts';
import { retag, useXray, useXrayTags } from './xray-api.ts';

const DEFAULT_RULE = 'Default';
const MATCHERS = [['ServiceName', 'Service name'], ['ServiceType', 'Service type'], ['Host', 'Host'], ['HTTPMethod', 'HTTP method'], ['URLPath', 'URL path'], ['ResourceARN', 'Resource ARN']] as const;

interface Totals { requests: number; sampled: number; borrowed: number }

function totals(list: SamplingStatisticSummary[]): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const s of list) {
    const t = out.get(s.RuleName ?? '') ?? { requests: 0, sampled: 0, borrowed: 0 };
    t.requests += s.RequestCount ?? 0;
    t.sampled += s.SampledCount ?? 0;
    t.borrowed += s.BorrowCount ?? 0;
    out.set(s.RuleName ?? '', t);
  }
  return out;
}

export function SamplingTab() {
  const xray = useXray();
  const [q, setQ] = useQueryState();
  const edit = q.get('edit');
  const creating = q.get('create') !== null;
  const [deleting, setDeleting] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const rules = useAsync(async () => {
    const [r, stats] = await Promise.all([xray.send(new GetSamplingRulesCommand({})), xray.send(new GetSamplingStatisticSummariesCommand({}))]);
    const list = (r.SamplingRuleRecords ?? []).map((x) => ({ rule: x.SamplingRule!, modified: x.ModifiedAt }));
    return { list: list.sort((a, b) => (a.rule.Priority ?? 0) - (b.rule.Priority ?? 0)), totals: totals(stats.SamplingStatisticSummaries ?? []) };
  }, []);
  const done = (message: string) => (setNotice(message), setQ({ edit: undefined, create: undefined }), rules.reload());
  if (edit !== null || creating) {
    const existing = rules.data?.list.find((r) => r.rule.RuleName === edit)?.rule;
    if (edit && !existing) return rules.error ? <ErrorBox error={rules.error} /> : <Loading what="Loading sampling rule" />;
    return <RuleForm key={edit ?? ''} existing={existing} onDone={done} onCancel={() => setQ({ edit: undefined, create: undefined })} />;
  }
  return (
    <div className="panel">
      <div className="toolbar">
        <h3 style={{ margin: 0, flex: 1 }}>Sampling rules</h3>
        <button type="button" className="primary" onClick={() => (setNotice(undefined), setQ({ create: '1' }))}>Create sampling rule</button>
      </div>
      {notice && <Notice>{notice}</Notice>}
      <AsyncView state={rules} isEmpty={(r) => r.list.length === 0} empty="No sampling rules.">
        {({ list, totals: t }) => (
          <table aria-label="Sampling rules">
            <thead><tr>
              <th>Name</th><th>Priority</th><th>Reservoir</th><th>Rate</th><th>Service</th><th>Type</th><th>Host</th><th>Method</th><th>URL path</th>
              <th>Requests (10 min)</th><th>Sampled</th><th>Borrowed</th><th>Modified</th><th />
            </tr></thead>
            <tbody>{list.map(({ rule: r, modified }) => {
              const s = t.get(r.RuleName ?? '');
              return (
                <tr key={r.RuleName}>
                  <td><a href="#" onClick={(e) => (e.preventDefault(), setNotice(undefined), setQ({ edit: r.RuleName }))}>{r.RuleName}</a></td>
                  <td>{r.Priority}</td><td>{r.ReservoirSize}/s</td><td>{`${+((r.FixedRate ?? 0) * 100).toFixed(2)} %`}</td>
                  <td>{r.ServiceName}</td><td>{r.ServiceType}</td><td>{r.Host}</td><td>{r.HTTPMethod}</td><td>{r.URLPath}</td>
                  <td>{s?.requests ?? 0}</td><td>{s?.sampled ?? 0}</td><td>{s?.borrowed ?? 0}</td><td>{modified && modified.getTime() > 0 ? formatTime(modified) : '—'}</td>
                  <td>{r.RuleName !== DEFAULT_RULE && <button type="button" className="danger" onClick={() => setDeleting(r.RuleName)}>Delete</button>}</td>
                </tr>
              );
            })}</tbody>
          </table>
        )}
      </AsyncView>
      {deleting && (
        <ConfirmDialog title={`Delete sampling rule ${deleting}?`} action="Delete rule" onClose={() => setDeleting(undefined)}
          onConfirm={async () => { await xray.send(new DeleteSamplingRuleCommand({ RuleName: deleting })); done(`Deleted sampling rule ${deleting}`); }}>
          SDKs stop applying it at their next poll (every 10 seconds); requests it matched fall to lower-priority rules.
        </ConfirmDialog>
      )}
    </div>
  );
}

function RuleForm({ existing, onDone, onCancel }: { existing?: SamplingRule; onDone: (message: string) => void; onCancel: () => void }) {
  const xray = useXray();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const isDefault = existing?.RuleName === DEFAULT_RULE;
  const tags = useXrayTags(existing?.RuleARN);
  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const matchers = Object.fromEntries(MATCHERS.map(([k]) => [k, field(f, k) || '*']));
    const numbers = { ReservoirSize: Number(field(f, 'reservoir')), FixedRate: Number(field(f, 'rate')) / 100 };
    const newTags = parseTags(String(f.get('tags') ?? ''));
    setBusy(true);
    setError(undefined);
    try {
      if (existing) {
        await xray.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: { RuleName: existing.RuleName, ...numbers, ...(isDefault ? {} : { ...matchers, Priority: Number(field(f, 'priority')) }) } }));
        await retag(xray, existing.RuleARN, tags.data ?? [], newTags);
        onDone(`Saved sampling rule ${existing.RuleName}`);
      } else {
        const name = field(f, 'name');
        await xray.send(new CreateSamplingRuleCommand({
          SamplingRule: { RuleName: name, Priority: Number(field(f, 'priority')), Version: 1, ...numbers, ...(matchers as Required<Pick<SamplingRule, 'ServiceName' | 'ServiceType' | 'Host' | 'HTTPMethod' | 'URLPath' | 'ResourceARN'>>) },
          Tags: newTags.length ? newTags : undefined,
        }));
        onDone(`Created sampling rule ${name}`);
      }
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  if (existing && !tags.data && !tags.error) return <Loading what="Loading tags" />;
  return (
    <div className="panel">
      <h3>{existing ? `Edit sampling rule ${existing.RuleName}` : 'Create sampling rule'}</h3>
      <form className="form" aria-label="Sampling rule" onSubmit={submit}>
        <div className="row">
          <label>Rule name<input name="name" required readOnly={!!existing} defaultValue={existing?.RuleName ?? ''} maxLength={32} /></label>
          {!isDefault && <label>Priority (1–9999, lower first)<input name="priority" type="number" min={1} max={9999} required defaultValue={existing?.Priority ?? 1000} /></label>}
        </div>
        <div className="row">
          <label>Reservoir (traces per second)<input name="reservoir" type="number" min={0} required defaultValue={existing?.ReservoirSize ?? 1} /></label>
          <label>Fixed rate (% of the rest)<input name="rate" type="number" min={0} max={100} step="any" required defaultValue={+((existing?.FixedRate ?? 0.05) * 100).toFixed(4)} /></label>
        </div>
        {!isDefault && (
          <div className="row">
            {MATCHERS.map(([k, label]) => <label key={k}>{label}<input name={k} defaultValue={existing?.[k] ?? '*'} /></label>)}
          </div>
        )}
        <label>Tags (key=value, one per line)<textarea name="tags" spellCheck={false} defaultValue={tagsText(tags.data ?? [])} /></label>
        <ErrorBox error={error ?? tags.error} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : existing ? 'Save rule' : 'Create rule'}</button>
          <button type="button" onClick={onCancel}>Cancel</button>
        </div>
      </form>
    </div>
  );
}
