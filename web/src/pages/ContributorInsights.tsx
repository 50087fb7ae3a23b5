// Contributor Insights: the rules (state, log groups, aggregation; enable, disable, delete), a create
// form with the rule JSON, and a rule's report — its top contributors over a time range as a stacked
// chart with one band per contributor and a table, as CloudWatch shows them. The URL holds `rule`,
// `range` and `top`.
import { useState } from 'react';
import {
  DeleteInsightRulesCommand, DescribeInsightRulesCommand, DisableInsightRulesCommand, EnableInsightRulesCommand, GetInsightRuleReportCommand,
  PutInsightRuleCommand, type InsightRule,
} from '@aws-sdk/client-cloudwatch';
import { useSession } from '../app-context.ts';
import { href, useQueryState } from '../router.ts';
import { TimeChart, type Series } from '../chart.tsx';
import { autoPeriod, resolveRange } from '../time.ts';
import { buttonAction, field, formAction } from '../form-action.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Link, TimeRangePicker, useAsync, useInterval } from '../ui.tsx';
import { formatValue, PALETTE } from '../../../src/services/cloudwatch/widget-image/graph-text.ts';

const TEMPLATE = JSON.stringify({
  Schema: { Name: 'CloudWatchLogRule', Version: 1 },
  LogGroupNames: ['/my/app*'],
  LogFormat: 'JSON',
  Contribution: { Keys: ['$.ip'], Filters: [] },
  AggregateOn: 'Count',
}, null, 2);
const TOPS = [5, 10, 25, 50, 100];

interface Definition { LogGroupNames?: string[]; LogGroupARNs?: string[]; Contribution?: { Keys?: string[]; ValueOf?: string }; AggregateOn?: string }
const definitionOf = (r: InsightRule): Definition => {
  try {
    return JSON.parse(r.Definition ?? '{}') as Definition;
  } catch {
    return {};
  }
};

export default function ContributorInsights() {
  const [q] = useQueryState();
  const rule = q.get('rule');
  return rule ? <RuleReport name={rule} /> : <Rules />;
}

function Rules() {
  const c = useSession();
  const rules = useAsync(async () => (await c.cw.send(new DescribeInsightRulesCommand({}))).InsightRules ?? [], []);
  const [error, setError] = useState<unknown>();
  const [deleting, setDeleting] = useState<string>();
  const act = buttonAction(setError, () => rules.reload());
  const create = formAction(setError)(async (f) => c.cw.send(new PutInsightRuleCommand({
    RuleName: field(f, 'name'), RuleDefinition: field(f, 'definition'), RuleState: f.get('enabled') ? 'ENABLED' : 'DISABLED',
  })), () => rules.reload());
  return (
    <>
      <div className="toolbar"><h2>Contributor Insights</h2></div>
      <ErrorBox error={error} />
      <div className="panel">
        <AsyncView state={rules} isEmpty={(r) => r.length === 0} empty="No rules yet. Create one below to find the top contributors in a log group.">
          {(list) => (
            <table aria-label="Rules">
              <thead><tr><th>Rule</th><th>State</th><th>Log groups</th><th>Contributors by</th><th>Aggregation</th><th /></tr></thead>
              <tbody>{list.map((r) => {
                const d = definitionOf(r);
                return (
                  <tr key={r.Name}>
                    <td><Link to={href('/contributor-insights', { rule: r.Name })}>{r.Name}</Link></td>
                    <td>{r.State}</td>
                    <td className="msg">{(d.LogGroupNames ?? d.LogGroupARNs ?? []).join(', ')}</td>
                    <td>{(d.Contribution?.Keys ?? []).join(', ')}</td>
                    <td>{d.AggregateOn}{d.Contribution?.ValueOf ? ` of ${d.Contribution.ValueOf}` : ''}</td>
                    <td>
                      {r.State === 'ENABLED'
                        ? <button type="button" onClick={act(() => c.cw.send(new DisableInsightRulesCommand({ RuleNames: [r.Name!] })))}>Disable</button>
                        : <button type="button" onClick={act(() => c.cw.send(new EnableInsightRulesCommand({ RuleNames: [r.Name!] })))}>Enable</button>}
                      <button type="button" aria-label={`Delete ${r.Name}`} onClick={() => setDeleting(r.Name)}>Delete</button>
                    </td>
                  </tr>
                );
              })}</tbody>
            </table>
          )}
        </AsyncView>
      </div>
      {deleting && (
        <ConfirmDialog title="Delete rule" action="Delete" onClose={() => setDeleting(undefined)}
          onConfirm={act(async () => (await c.cw.send(new DeleteInsightRulesCommand({ RuleNames: [deleting] })), setDeleting(undefined)))}>
          Delete <strong>{deleting}</strong> and its report data?
        </ConfirmDialog>
      )}
      <form className="panel form" aria-label="Create rule" onSubmit={create}>
        <h3>Create rule</h3>
        <label>Rule name <input name="name" required maxLength={128} /></label>
        <label>Rule definition (JSON, schema CloudWatchLogRule v1)
          <textarea name="definition" rows={12} defaultValue={TEMPLATE} spellCheck={false} style={{ fontFamily: 'monospace', width: '100%' }} />
        </label>
        <label><input type="checkbox" name="enabled" defaultChecked /> Enabled (rules count events ingested from now on)</label>
        <div><button type="submit" className="primary">Create rule</button></div>
      </form>
    </>
  );
}

function RuleReport({ name }: { name: string }) {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const range = q.get('range') ?? '1h';
  const top = Number(q.get('top') ?? 10);
  const report = useAsync(async () => {
    const r = resolveRange(range);
    const period = Math.max(60, Math.ceil(autoPeriod(r.start, r.end) / 60) * 60);
    const out = await c.cw.send(new GetInsightRuleReportCommand({
      RuleName: name, StartTime: r.start, EndTime: r.end, Period: period, MaxContributorCount: top, Metrics: ['UniqueContributors', 'SampleCount'],
    }));
    return { out, r };
  }, [name, range, top]);
  useInterval(report.reload, 30_000);
  return (
    <>
      <div className="toolbar">
        <Link to="/contributor-insights">← Rules</Link>
        <h2>{name}</h2>
        <TimeRangePicker value={range} onChange={(v) => setQ({ range: v })} />
        <label>Top <select aria-label="Top contributors" value={top} onChange={(e) => setQ({ top: e.target.value })}>
          {TOPS.map((n) => <option key={n} value={n}>{n}</option>)}</select></label>
      </div>
      <AsyncView state={report} isEmpty={(r) => (r.out.Contributors ?? []).length === 0} empty="No contributors in this time range yet.">
        {({ out, r }) => {
          const contributors = out.Contributors ?? [];
          const labels = out.KeyLabels ?? [];
          const series: Series[] = contributors.map((k, i) => ({
            name: (k.Keys ?? []).join(', '), color: PALETTE[i % PALETTE.length],
            points: (k.Datapoints ?? []).map((d): [number, number] => [d.Timestamp!.getTime(), d.ApproximateValue ?? 0]),
          }));
          return (
            <>
              <div className="panel">
                <p className="muted">{out.AggregationStatistic} · {formatValue(out.AggregateValue ?? 0)} in total from {out.ApproximateUniqueCount} unique contributors</p>
                <TimeChart series={series} range={r} kind="bar" stacked label="contributors-chart" />
              </div>
              <div className="panel">
                <table aria-label="Top contributors">
                  <thead><tr><th>#</th>{labels.map((l) => <th key={l}>{l}</th>)}<th>{out.AggregationStatistic}</th><th>Share</th></tr></thead>
                  <tbody>{contributors.map((k, i) => (
                    <tr key={i}>
                      <td><span aria-hidden style={{ display: "inline-block", width: 10, height: 10, background: PALETTE[i % PALETTE.length] }} /> {i + 1}</td>
                      {(k.Keys ?? []).map((v, j) => <td key={j}>{v}</td>)}
                      <td>{formatValue(k.ApproximateAggregateValue ?? 0)}</td>
                      <td>{out.AggregateValue ? `${(((k.ApproximateAggregateValue ?? 0) / out.AggregateValue) * 100).toFixed(1)} %` : ''}</td>
                    </tr>
                  ))}</tbody>
                </table>
              </div>
            </>
          );
        }}
      </AsyncView>
    </>
  );
}
