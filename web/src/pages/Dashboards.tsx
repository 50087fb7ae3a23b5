// Dashboards: list, render CloudWatch dashboard JSON (metric, text, log and alarm widgets on the
// 24-column grid; log widgets as a table, or a bar or line chart) and edit the JSON directly.
import { useEffect, useState } from 'react';
import { ListDashboardsCommand, GetDashboardCommand, PutDashboardCommand, DeleteDashboardsCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { useSession } from '../app-context.ts';
import { href, navigate, useQueryState } from '../router.ts';
import { formatBytes, formatTime, resolveRange } from '../time.ts';
import { MetricGraph } from '../metric-graph.tsx';
import { CategoryChart, TimeChart } from '../chart.tsx';
import { logChartData } from '../log-chart.ts';
import { widgetSpecs } from '../metrics.ts';
import { runInsights, splitSource } from '../insights-run.ts';
import { Markdown } from '../markdown.tsx';
import { AsyncView, Empty, ErrorBox, Link, Loading, StateBadge, TimeRangePicker, useAsync, useInterval } from '../ui.tsx';

interface Widget { type: string; x?: number; y?: number; width?: number; height?: number; properties: Record<string, unknown> }

export default function Dashboards() {
  const [q] = useQueryState();
  const name = q.get('name');
  return name ? <Dashboard name={name} /> : <DashboardList />;
}

function DashboardList() {
  const c = useSession();
  const list = useAsync(async () => (await c.cw.send(new ListDashboardsCommand({}))).DashboardEntries ?? [], []);
  return (
    <>
      <div className="toolbar">
        <h2>Dashboards</h2>
        <form className="toolbar" style={{ margin: 0 }} onSubmit={(e) => {
          e.preventDefault();
          navigate(href('/dashboards', { name: String(new FormData(e.currentTarget).get('name')), edit: '1' }));
        }}>
          <input name="name" aria-label="New dashboard name" placeholder="New dashboard name" required pattern="[A-Za-z0-9_\-]+" />
          <button type="submit">Create dashboard</button>
        </form>
      </div>
      <div className="panel">
        <AsyncView state={list} isEmpty={(l) => l.length === 0} empty='No dashboards. Create one, or use "Add to dashboard" on the Metrics page.'>
          {(l) => (
            <table aria-label="Dashboards">
              <thead><tr><th>Name</th><th>Last modified</th><th>Size</th></tr></thead>
              <tbody>{l.map((d) => (
                <tr key={d.DashboardName}><td><Link to={href('/dashboards', { name: d.DashboardName })}>{d.DashboardName}</Link></td>
                  <td>{formatTime(d.LastModified)}</td><td>{formatBytes(d.Size)}</td></tr>
              ))}</tbody>
            </table>
          )}
        </AsyncView>
      </div>
    </>
  );
}

function Dashboard({ name }: { name: string }) {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const range = q.get('range') ?? '3h';
  const editing = q.get('edit') === '1';
  const body = useAsync(async () => {
    try {
      return (await c.cw.send(new GetDashboardCommand({ DashboardName: name }))).DashboardBody ?? '{"widgets":[]}';
    } catch (e) {
      // A new dashboard is just one that does not exist yet: start the editor empty.
      if (editing && /ResourceNotFound/.test(String((e as { name?: string }).name))) return '{\n  "widgets": []\n}';
      throw e;
    }
  }, [name]);
  const [draft, setDraft] = useState<string>();
  const [error, setError] = useState<unknown>();
  useEffect(() => setDraft(undefined), [body.data]);

  const save = async () => {
    setError(undefined);
    try {
      const text = draft ?? body.data ?? '';
      JSON.parse(text);
      await c.cw.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: text }));
      setQ({ edit: undefined });
      body.reload();
    } catch (e) {
      setError(e instanceof SyntaxError ? { name: 'InvalidJSON', message: e.message } : e);
    }
  };
  const remove = async () => {
    if (!confirm(`Delete dashboard ${name}?`)) return;
    try {
      await c.cw.send(new DeleteDashboardsCommand({ DashboardNames: [name] }));
      navigate('/dashboards');
    } catch (e) {
      setError(e);
    }
  };

  let widgets: Widget[] = [];
  try {
    widgets = body.data ? ((JSON.parse(body.data) as { widgets?: Widget[] }).widgets ?? []) : [];
  } catch {
    // Rendered as an error below; the editor still opens.
  }
  return (
    <>
      <div className="toolbar">
        <Link to="/dashboards">← Dashboards</Link>
        <h2>{name}</h2>
        <TimeRangePicker value={range} onChange={(r) => setQ({ range: r })} />
        <button type="button" onClick={() => setQ({ edit: editing ? undefined : '1' })}>{editing ? 'Close editor' : 'Edit JSON'}</button>
        <button type="button" onClick={() => void remove()}>Delete</button>
      </div>
      <ErrorBox error={error ?? body.error} />
      {editing && body.data !== undefined && (
        <div className="panel">
          <textarea className="json" aria-label="Dashboard JSON" spellCheck={false} value={draft ?? body.data} onChange={(e) => setDraft(e.target.value)} />
          <button type="button" className="primary" onClick={() => void save()}>Save dashboard</button>
        </div>
      )}
      {body.loading && body.data === undefined ? <Loading /> : widgets.length === 0 ? (!body.error && <Empty>This dashboard has no widgets.</Empty>) : (
        <div className="dash">
          {widgets.map((w, i) => (
            <section key={i} className="widget" data-widget={w.type} aria-label={String(w.properties?.title ?? w.type)}
              style={{ gridColumn: `${(w.x ?? 0) + 1} / span ${w.width ?? 6}`, gridRow: `${(w.y ?? 0) + 1} / span ${w.height ?? 6}` }}>
              <WidgetView w={w} range={range} />
            </section>
          ))}
        </div>
      )}
    </>
  );
}

function WidgetView({ w, range }: { w: Widget; range: string }) {
  const p = w.properties ?? {};
  const title = typeof p.title === 'string' ? <h3>{p.title}</h3> : null;
  switch (w.type) {
    case 'metric': {
      const h = (p.annotations as { horizontal?: { value: number }[] } | undefined)?.horizontal?.[0]?.value;
      return <>{title}<MetricGraph specs={widgetSpecs(p as { metrics?: unknown[][] })} range={range} period={p.period as number | undefined} threshold={h} height={(w.height ?? 6) * 56 - 60} label="metric-widget" /></>;
    }
    case 'text':
      return <Markdown source={String(p.markdown ?? '')} />;
    case 'log':
      return <>{title}<LogWidget query={String(p.query ?? '')} view={p.view} range={range} height={(w.height ?? 6) * 56 - 60} /></>;
    case 'alarm':
      return <>{title}<AlarmWidget arns={(p.alarms as string[]) ?? []} /></>;
    default:
      return <Empty>Widget type “{w.type}” is not shown in this console.</Empty>;
  }
}

function LogWidget({ query, view, range, height }: { query: string; view: unknown; range: string; height: number }) {
  const c = useSession();
  const res = useAsync(async () => {
    const { groups, query: q } = splitSource(query);
    const { start, end } = resolveRange(range);
    return { ...(await runInsights(c, groups, q, start, end)), range: { start, end } };
  }, [query, range]);
  return (
    <AsyncView state={res} isEmpty={(r) => r.rows.length === 0} empty="No log results.">
      {(r) => {
        // "bar" and "timeSeries" (a line) draw a stats query's results; nothing numeric stays a table.
        const chart = view === 'bar' || view === 'timeSeries' || view === 'line' ? logChartData(query, r.fields, r.rows) : undefined;
        if (chart?.kind === 'time') return <TimeChart series={chart.series} kind={view === 'bar' ? 'bar' : 'line'} range={r.range} height={height} label="log-widget-chart" />;
        if (chart?.kind === 'category') return <CategoryChart categories={chart.categories} series={chart.series} height={height} label="log-widget-chart" />;
        const fields = r.fields.filter((f) => f !== '@ptr');
        return (
          <table aria-label="Log widget results">
            <thead><tr>{fields.map((f) => <th key={f}>{f}</th>)}</tr></thead>
            <tbody>{r.rows.map((row, i) => <tr key={i}>{fields.map((f) => <td key={f} className="msg">{row[f]}</td>)}</tr>)}</tbody>
          </table>
        );
      }}
    </AsyncView>
  );
}

function AlarmWidget({ arns }: { arns: string[] }) {
  const c = useSession();
  const names = arns.map((a) => a.split(':alarm:')[1]).filter(Boolean);
  const res = useAsync(async () => {
    const r = await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    return [...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? [])];
  }, [names.join()]);
  useInterval(res.reload, 10_000);
  return (
    <AsyncView state={res} isEmpty={(a) => a.length === 0} empty="None of these alarms exist.">
      {(list) => (
        <ul className="list" aria-label="Alarm status">
          {list.map((a) => <li key={a.AlarmName}><StateBadge state={a.StateValue} /><Link to={href('/alarms', { name: a.AlarmName })}>{a.AlarmName}</Link></li>)}
        </ul>
      )}
    </AsyncView>
  );
}
