// Metrics: browse namespaces → metrics → dimension sets, search, and graph any number of series
// with statistic, period, time range, auto-refresh and metric-math expressions. The graph lives in
// the URL (`graph` = JSON specs), so a link reproduces it.
import { useMemo, useState, type FormEvent } from 'react';
import { paginateListMetrics, GetDashboardCommand, PutDashboardCommand, type Dimension, type Metric } from '@aws-sdk/client-cloudwatch';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { href, useQueryState } from '../router.ts';
import { MetricGraph } from '../metric-graph.tsx';
import { defaultLabels, specLabel, specsToRows, type MetricSpec } from '../metrics.ts';
import { AsyncView, ErrorBox, Link, TimeRangePicker, useAsync } from '../ui.tsx';

export const STATS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p90', 'p99'];
const PERIODS = [['', 'Auto'], ['10', '10 s'], ['60', '1 min'], ['300', '5 min'], ['900', '15 min'], ['3600', '1 h'], ['86400', '1 day']];
const REFRESH = [['', 'Off'], ['10000', '10 s'], ['60000', '1 min'], ['300000', '5 min']];

const dimsText = (m: Metric) => (m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(', ') || '(no dimensions)';
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const NO_ERRORS: ReadonlyMap<string, string> = new Map();

/** Whether a graphed row is this listed metric (same namespace, name and dimension set). */
const sameMetric = (s: MetricSpec, m: Metric) => {
  if ('expression' in s || s.namespace !== m.Namespace || s.metricName !== m.MetricName) return false;
  const key = (ds: Dimension[]) => ds.map((d) => `${d.Name}=${d.Value}`).sort().join(',');
  return key(s.dimensions) === key(m.Dimensions ?? []);
};

/** The number for the next row's id (m3, e4…): one more than any in use. */
const nextNumber = (specs: MetricSpec[]) => Math.max(0, ...specs.map((s) => Number(/^[me](\d+)$/.exec(s.id)?.[1] ?? 0))) + 1;

export function parseGraph(s: string | null): MetricSpec[] {
  try {
    return s ? (JSON.parse(s) as MetricSpec[]) : [];
  } catch {
    return [];
  }
}

export default function Metrics() {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const ns = q.get('ns') ?? '';
  const search = q.get('search') ?? '';
  const range = q.get('range') ?? '3h';
  const period = q.get('period') ?? '';
  const refresh = q.get('refresh') ?? '';
  const graph = q.get('graph');
  const specs = useMemo(() => parseGraph(graph), [graph]);
  const setSpecs = (s: MetricSpec[]) => setQ({ graph: s.length ? JSON.stringify(s) : undefined });

  const metrics = useAsync(() => collect(paginateListMetrics({ client: c.cw }, {}), (r) => r.Metrics, 5000), []);

  const addMetric = (m: Metric) => {
    if (specs.some((s) => sameMetric(s, m))) return;
    setSpecs([...specs, { id: `m${nextNumber(specs)}`, namespace: m.Namespace!, metricName: m.MetricName!, dimensions: m.Dimensions ?? [], stat: 'Average' }]);
  };
  const removeMetric = (m: Metric) => setSpecs(specs.filter((s) => !sameMetric(s, m)));
  const [rowErrors, setRowErrors] = useState(NO_ERRORS);

  return (
    <>
      <div className="toolbar">
        <h2>Metrics</h2>
        <TimeRangePicker value={range} onChange={(r) => setQ({ range: r })} />
        <label>Period <select aria-label="Period" value={period} onChange={(e) => setQ({ period: e.target.value })}>
          {PERIODS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select></label>
        <label>Auto-refresh <select aria-label="Auto-refresh" value={refresh} onChange={(e) => setQ({ refresh: e.target.value })}>
          {REFRESH.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select></label>
      </div>
      <div className="cols">
        <div className="panel">
          <input type="search" aria-label="Search metrics" placeholder="Search metrics and dimensions" defaultValue={search}
            style={{ width: '100%', marginBottom: 8 }} onChange={(e) => setQ({ search: e.target.value })} />
          <AsyncView state={metrics} isEmpty={(m) => m.length === 0} empty="No metrics yet. Publish some with PutMetricData.">
            {(all) => <Browser all={all} ns={ns} search={search} onNs={(n) => setQ({ ns: n }, true)}
              graphed={(m) => specs.some((s) => sameMetric(s, m))} onAdd={addMetric} onRemove={removeMetric} />}
          </AsyncView>
        </div>
        <div>
          <div className="panel">
            <MetricGraph specs={specs} range={range} period={period ? Number(period) : undefined} refreshMs={Number(refresh) || 0} label="metrics-graph" onErrors={setRowErrors} />
          </div>
          <div className="panel">
            <GraphedMetrics specs={specs} setSpecs={setSpecs} errors={rowErrors} />
            {specs.length > 0 && <AddToDashboard specs={specs} />}
          </div>
        </div>
      </div>
    </>
  );
}

/** The graphed rows (label, statistic, remove; an error under a row GetMetricData refused) and the expression form. */
function GraphedMetrics({ specs, setSpecs, errors }: { specs: MetricSpec[]; setSpecs: (s: MetricSpec[]) => void; errors: ReadonlyMap<string, string> }) {
  const defaults = useMemo(() => defaultLabels(specs), [specs]);
  const update = (i: number, patch: Partial<MetricSpec>) => setSpecs(specs.map((s, j) => (j === i ? ({ ...s, ...patch } as MetricSpec) : s)));
  const addExpression = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = e.currentTarget;
    const expr = String(new FormData(f).get('expression')).trim();
    if (!expr) return;
    setSpecs([...specs, { id: `e${nextNumber(specs)}`, expression: expr }]);
    f.reset();
  };
  return (
    <>
      <table aria-label="Graphed metrics">
        <thead><tr><th>Id</th><th>Metric / expression</th><th>Label</th><th>Statistic</th><th>Anomaly detection</th><th /></tr></thead>
        <tbody>
          {specs.map((s, i) => (
            <tr key={s.id}>
              <td>{s.id}</td>
              <td className="msg">{'expression' in s ? s.expression : `${s.namespace} · ${s.metricName} · ${s.dimensions.map((d) => `${d.Name}=${d.Value}`).join(', ')}`}
                {errors.has(s.id) && <div className="error" role="alert" aria-label={`Error in ${s.id}`}>{errors.get(s.id)}</div>}
              </td>
              <td><input aria-label={`Label of ${s.id}`} defaultValue={s.label ?? ''} placeholder={defaults[i] ?? s.id} onBlur={(e) => update(i, { label: e.target.value || undefined })} /></td>
              <td>{'stat' in s && (
                <select aria-label={`Statistic of ${s.id}`} value={s.stat} onChange={(e) => update(i, { stat: e.target.value })}>
                  {STATS.map((st) => <option key={st}>{st}</option>)}
                </select>)}
              </td>
              <td>{'stat' in s && <BandToggle specs={specs} id={s.id} setSpecs={setSpecs} />}</td>
              <td><button type="button" aria-label={`Remove ${s.id}`} onClick={() => setSpecs(specs.filter((_, j) => j !== i))}>✕</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="toolbar" onSubmit={addExpression} style={{ marginTop: 8 }}>
        <input name="expression" aria-label="Math expression" placeholder="Math expression, e.g. m1 * 2 or SUM(METRICS())" style={{ flex: 1 }} />
        <button type="submit">Add expression</button>
      </form>
    </>
  );
}

/**
 * "Enable anomaly detection" for a graphed metric, as in CloudWatch: adds ANOMALY_DETECTION_BAND(id, 2)
 * (the server trains the metric's model and creates its detector on first use); pressed again, removes it.
 */
function BandToggle({ specs, id, setSpecs }: { specs: MetricSpec[]; id: string; setSpecs: (s: MetricSpec[]) => void }) {
  const mine = (s: MetricSpec) => 'expression' in s && new RegExp(`^\\s*ANOMALY_DETECTION_BAND\\(\\s*${id}\\s*[,)]`).test(s.expression);
  const on = specs.some(mine);
  return (
    <button type="button" aria-pressed={on} aria-label={`Anomaly detection for ${id}`} title="Show the band of expected values learned from the metric's history"
      onClick={() => setSpecs(on ? specs.filter((s) => !mine(s)) : [...specs, { id: `e${nextNumber(specs)}`, expression: `ANOMALY_DETECTION_BAND(${id}, 2)` }])}>
      {on ? 'Band on' : 'Enable'}
    </button>
  );
}

function Browser({ all, ns, search, onNs, graphed, onAdd, onRemove }: {
  all: Metric[]; ns: string; search: string; onNs: (n: string | undefined) => void;
  graphed: (m: Metric) => boolean; onAdd: (m: Metric) => void; onRemove: (m: Metric) => void;
}) {
  const namespaces = [...new Set(all.map((m) => m.Namespace!))].sort();
  const needle = search.toLowerCase();
  const shown = all.filter((m) => (!ns || m.Namespace === ns) && (!needle || `${m.Namespace} ${m.MetricName} ${dimsText(m)}`.toLowerCase().includes(needle)));
  if (!ns && !needle) {
    return (
      <ul className="list" aria-label="Namespaces">
        {namespaces.map((n) => (
          <li key={n}><a href="#" onClick={(e) => (e.preventDefault(), onNs(n))}>{n}</a><span className="muted">{plural(all.filter((m) => m.Namespace === n).length, 'metric', 'metrics')}</span></li>
        ))}
      </ul>
    );
  }
  return (
    <>
      {ns && <div><a href="#" onClick={(e) => (e.preventDefault(), onNs(undefined))}>← All namespaces</a> <strong>{ns}</strong></div>}
      <ul className="list" aria-label="Metrics list">
        {shown.slice(0, 500).map((m, i) => {
          // A toggle like CloudWatch's checkboxes: pressed while the metric is on the graph.
          const on = graphed(m);
          return (
            <li key={i}>
              <button type="button" className={on ? 'active' : ''} aria-pressed={on} aria-label={`Graph ${m.MetricName} ${dimsText(m)}`}
                title={on ? 'Remove from the graph' : 'Add to the graph'} onClick={() => (on ? onRemove(m) : onAdd(m))}>{on ? '✓' : '+'}</button>
              <button type="button" className="metric-name" onClick={() => onAdd(m)}>
                <strong>{m.MetricName}</strong> <span className="muted">{!ns && `${m.Namespace} · `}{dimsText(m)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** Appends the graph as a metric widget to a (new or existing) dashboard. */
function AddToDashboard({ specs }: { specs: MetricSpec[] }) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get('dashboard')).trim();
    setError(undefined);
    try {
      let body: { widgets: Record<string, unknown>[] } = { widgets: [] };
      try {
        body = JSON.parse((await c.cw.send(new GetDashboardCommand({ DashboardName: name }))).DashboardBody ?? '{"widgets":[]}');
      } catch (err) {
        if ((err as { name?: string }).name !== 'ResourceNotFound' && (err as { Code?: string }).Code !== 'ResourceNotFound') throw err;
      }
      const y = Math.max(0, ...body.widgets.map((w) => Number(w.y ?? 0) + Number(w.height ?? 6)));
      body.widgets.push({ type: 'metric', x: 0, y, width: 12, height: 6, properties: { metrics: specsToRows(specs), region: c.region, title: specs.map(specLabel).join(', ').slice(0, 80), view: 'timeSeries' } });
      await c.cw.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: JSON.stringify(body) }));
      setDone(name);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="toolbar" onSubmit={add}>
      <input name="dashboard" aria-label="Dashboard name" placeholder="Dashboard name" required pattern="[A-Za-z0-9_\-]+" />
      <button type="submit">Add to dashboard</button>
      {done && <span>Added to <Link to={href('/dashboards', { name: done })}>{done}</Link></span>}
      <ErrorBox error={error} />
    </form>
  );
}
