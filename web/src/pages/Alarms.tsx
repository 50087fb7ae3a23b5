// Alarms: list of metric and composite alarms with state badges, detail (metric graph with threshold
// line, or a composite's rule and children; actions; state history) and a create/edit form for metric
// alarms. Views poll so a state change shows up without a reload.
import { useState, type FormEvent } from 'react';
import {
  DescribeAlarmsCommand, DescribeAlarmHistoryCommand, PutMetricAlarmCommand, DeleteAlarmsCommand, paginateDescribeAlarms,
  type MetricAlarm, type ComparisonOperator, type Statistic, type AlarmType,
} from '@aws-sdk/client-cloudwatch';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { href, navigate, useQueryState } from '../router.ts';
import { formatTime } from '../time.ts';
import { MetricGraph, alarmShade } from '../metric-graph.tsx';
import type { MetricSpec } from '../metrics.ts';
import { formatValue } from '../../../src/services/cloudwatch/widget-image/graph-text.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Link, Loading, StateBadge, TimeRangePicker, useAsync, useInterval } from '../ui.tsx';
import { AlarmActions, CompositeBody, CompositeCondition, isComposite, type AnyAlarm } from './alarm-composite.tsx';

const POLL_MS = 5000;
const OPERATORS = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const OP_SIGN: Record<string, string> = { GreaterThanThreshold: '>', GreaterThanOrEqualToThreshold: '>=', LessThanThreshold: '<', LessThanOrEqualToThreshold: '<=' };
const OP_TEXT: Record<string, string> = { GreaterThanThreshold: 'greater than', GreaterThanOrEqualToThreshold: 'greater than or equal', LessThanThreshold: 'less than', LessThanOrEqualToThreshold: 'less than or equal' };
// DescribeAlarms and DescribeAlarmHistory return metric alarms only unless asked for both types.
const BOTH_TYPES: AlarmType[] = ['MetricAlarm', 'CompositeAlarm'];

export default function Alarms() {
  const [q] = useQueryState();
  if (q.get('edit') !== null) return <AlarmForm name={q.get('edit') || undefined} />;
  const name = q.get('name');
  return name ? <AlarmDetail name={name} /> : <AlarmList />;
}

function AlarmList() {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const stateFilter = q.get('state') ?? '';
  const alarms = useAsync(async () => {
    const all = await collect(paginateDescribeAlarms({ client: c.cw }, { AlarmTypes: BOTH_TYPES }), (r) => [...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? [])] as AnyAlarm[]);
    return all.sort((x, y) => (x.AlarmName ?? '').localeCompare(y.AlarmName ?? ''));
  }, []);
  useInterval(alarms.reload, POLL_MS);
  // The state filter applies here, not in the request: a composite shows its children's states even
  // when they are in another state than the one filtered on.
  const states = new Map(alarms.data?.map((a) => [a.AlarmName ?? '', a.StateValue]));
  const shown = { ...alarms, data: alarms.data?.filter((a) => !stateFilter || a.StateValue === stateFilter) };
  return (
    <>
      <div className="toolbar">
        <h2>Alarms</h2>
        <select aria-label="State filter" value={stateFilter} onChange={(e) => setQ({ state: e.target.value })}>
          <option value="">All states</option><option>ALARM</option><option>OK</option><option>INSUFFICIENT_DATA</option>
        </select>
        <button type="button" className="primary" onClick={() => navigate('/alarms?edit=')}>Create alarm</button>
      </div>
      <div className="panel">
        <AsyncView state={shown} isEmpty={(a) => a.length === 0} empty="No alarms.">
          {(list) => (
            <table aria-label="Alarms">
              <thead><tr><th>State</th><th>Name</th><th>Type</th><th>Condition</th><th>Last state update</th></tr></thead>
              <tbody>
                {list.map((a) => (
                  <tr key={a.AlarmName}>
                    <td><StateBadge state={a.StateValue} /></td>
                    <td><Link to={href('/alarms', { name: a.AlarmName })}>{a.AlarmName}</Link></td>
                    <td>{isComposite(a) ? 'Composite' : 'Metric'}</td>
                    <td>{isComposite(a) ? <CompositeCondition alarm={a} states={states} /> : condition(a)}</td>
                    <td>{formatTime(a.StateUpdatedTimestamp)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </AsyncView>
      </div>
    </>
  );
}

const condition = (a: MetricAlarm) => a.ThresholdMetricId
  ? `${a.Metrics?.find((m) => m.Id !== a.ThresholdMetricId && m.ReturnData !== false)?.Id ?? 'metric'} ${BAND_WORDS[a.ComparisonOperator ?? ''] ?? a.ComparisonOperator} ${a.ThresholdMetricId} for ${a.DatapointsToAlarm ?? a.EvaluationPeriods}/${a.EvaluationPeriods}`
  : `${a.MetricName ?? 'expression'} ${OP_SIGN[a.ComparisonOperator ?? ''] ?? a.ComparisonOperator} ${a.Threshold} for ${a.DatapointsToAlarm ?? a.EvaluationPeriods}/${a.EvaluationPeriods} × ${a.Period ?? ''}s`;

const BAND_WORDS: Record<string, string> = {
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band',
  GreaterThanUpperThreshold: 'above the band',
  LessThanLowerThreshold: 'below the band',
};

/** A metric-math alarm's Metrics as graph rows (the band of an anomaly alarm shades like any band). */
const alarmSpecs = (a: MetricAlarm): MetricSpec[] => (a.Metrics ?? []).map((m) => (m.MetricStat
  ? { id: m.Id!, namespace: m.MetricStat.Metric!.Namespace!, metricName: m.MetricStat.Metric!.MetricName!, dimensions: m.MetricStat.Metric!.Dimensions ?? [],
    stat: m.MetricStat.Stat!, label: m.Label, visible: m.ReturnData !== false }
  : { id: m.Id!, expression: m.Expression!, label: m.Label, visible: m.ReturnData !== false }));

interface Hint { dimensions: Record<string, string>; value: number; expected: number; share: number }

/** Which dimension values carried a band alarm's deviation (StateReasonData.rootCauseHints). */
function RootCauseHints({ alarm }: { alarm: MetricAlarm }) {
  let hints: Hint[] | undefined;
  try {
    hints = (JSON.parse(alarm.StateReasonData ?? '{}') as { rootCauseHints?: Hint[] }).rootCauseHints;
  } catch { /* not JSON: no hints */ }
  if (!hints?.length || alarm.StateValue !== 'ALARM') return null;
  const dims = (h: Hint) => Object.entries(h.dimensions).map(([k, v]) => `${k}=${v}`).join(', ');
  return (
    <>
      <h3>Likely root causes</h3>
      <table aria-label="Root causes">
        <thead><tr><th>Dimensions</th><th>Value</th><th>Expected</th><th>Share of the deviation</th></tr></thead>
        <tbody>{hints.map((h) => (
          <tr key={dims(h)}><td>{dims(h)}</td><td>{formatValue(h.value)}</td><td>{formatValue(h.expected)}</td><td>{Math.round(h.share * 100)} %</td></tr>
        ))}</tbody>
      </table>
    </>
  );
}

function AlarmDetail({ name }: { name: string }) {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const range = q.get('range') ?? '3h';
  const alarm = useAsync(async () => {
    const r = await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: BOTH_TYPES }));
    return (r.MetricAlarms?.[0] ?? r.CompositeAlarms?.[0]) as AnyAlarm | undefined;
  }, [name]);
  const history = useAsync(async () => (await c.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name, AlarmTypes: BOTH_TYPES, MaxRecords: 50 }))).AlarmHistoryItems ?? [], [name]);
  useInterval(() => (alarm.reload(), history.reload()), POLL_MS);
  const [deleting, setDeleting] = useState(false);
  const found = alarm.data;
  const composite = found && isComposite(found) ? found : undefined;
  const a = found && !isComposite(found) ? found : undefined;
  return (
    <>
      <div className="toolbar">
        <Link to="/alarms">← Alarms</Link>
        <h2>{name}</h2>
        {found && <StateBadge state={found.StateValue} />}
        {composite && <span className="muted">Composite alarm</span>}
        {!composite && <Link to={href('/alarms', { edit: name })}>Edit</Link>}
        <button type="button" onClick={() => setDeleting(true)}>Delete</button>
        {!composite && <TimeRangePicker value={range} onChange={(r) => setQ({ range: r })} />}
      </div>
      <ErrorBox error={alarm.error} />
      {deleting && (
        <ConfirmDialog title="Delete alarm" action="Delete" onClose={() => setDeleting(false)}
          onConfirm={async () => (await c.cw.send(new DeleteAlarmsCommand({ AlarmNames: [name] })), navigate('/alarms'))}>
          Delete <strong>{name}</strong> and its history?
        </ConfirmDialog>
      )}
      {alarm.data === undefined && !alarm.error ? (alarm.loading ? <Loading /> : <ErrorBox error={{ name: 'ResourceNotFound', message: `No alarm named ${name}` }} />) : found && (
        <>
          {composite && <CompositeBody alarm={composite} pollMs={POLL_MS} />}
          {a && <div className="panel">
            <p>{a.AlarmDescription}</p>
            <p><strong>Condition:</strong> {condition(a)} · <strong>Reason:</strong> {a.StateReason}</p>
            {a.MetricName && (
              <MetricGraph range={range} period={a.Period} threshold={a.Threshold} shade={alarmShade(a.ComparisonOperator)} refreshMs={POLL_MS} label="alarm-graph" specs={[{
                id: 'm1', namespace: a.Namespace!, metricName: a.MetricName, dimensions: a.Dimensions ?? [], stat: a.Statistic ?? a.ExtendedStatistic ?? 'Average',
              }]} />
            )}
            {a.Metrics && <MetricGraph range={range} period={a.Metrics.find((m) => m.MetricStat)?.MetricStat?.Period} threshold={a.Threshold}
              shade={a.ThresholdMetricId ? undefined : alarmShade(a.ComparisonOperator)} refreshMs={POLL_MS} label="alarm-graph" specs={alarmSpecs(a)} />}
            <RootCauseHints alarm={a} />
          </div>}
          <AlarmActions alarm={found} />
          <div className="panel">
            <h3>History</h3>
            <AsyncView state={history} isEmpty={(h) => h.length === 0} empty="No history yet.">
              {(h) => (
                <table aria-label="Alarm history">
                  <thead><tr><th>Time</th><th>Type</th><th>Summary</th></tr></thead>
                  <tbody>{h.map((i, k) => <tr key={k}><td>{formatTime(i.Timestamp)}</td><td>{i.HistoryItemType}</td><td>{i.HistorySummary}</td></tr>)}</tbody>
                </table>
              )}
            </AsyncView>
          </div>
        </>
      )}
    </>
  );
}

function AlarmForm({ name }: { name?: string }) {
  const c = useSession();
  const [q] = useQueryState();
  const existing = useAsync(async () => (name ? (await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0] : undefined), [name]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (name && existing.loading) return <Loading />;
  const a = existing.data;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => String(f.get(k) ?? '').trim();
    const dims = get('dimensions').split(',').map((s) => s.trim()).filter(Boolean).map((kv) => {
      const i = kv.indexOf('=');
      return { Name: kv.slice(0, i).trim(), Value: kv.slice(i + 1).trim() };
    });
    setBusy(true);
    setError(undefined);
    try {
      await c.cw.send(new PutMetricAlarmCommand({
        AlarmName: get('name'), AlarmDescription: get('description') || undefined,
        Namespace: get('namespace'), MetricName: get('metric'), Dimensions: dims, Statistic: get('stat') as Statistic,
        Period: Number(get('period')), EvaluationPeriods: Number(get('evaluationPeriods')), DatapointsToAlarm: Number(get('datapointsToAlarm')) || undefined,
        Threshold: Number(get('threshold')), ComparisonOperator: get('operator') as ComparisonOperator,
        TreatMissingData: get('treatMissingData'), AlarmActions: get('actions') ? get('actions').split(',').map((s) => s.trim()) : undefined,
      }));
      navigate(href('/alarms', { name: get('name') }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const dimText = (a?.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(', ') || (q.get('dims') ?? '');
  return (
    <>
      <div className="toolbar"><Link to="/alarms">← Alarms</Link><h2>{name ? `Edit ${name}` : 'Create alarm'}</h2></div>
      <form className="form panel" onSubmit={submit} aria-label="Alarm">
        <label>Name<input name="name" required defaultValue={a?.AlarmName ?? ''} readOnly={!!name} autoFocus={!name} /></label>
        <label>Description<input name="description" defaultValue={a?.AlarmDescription ?? ''} /></label>
        <div className="row">
          <label>Namespace<input name="namespace" required defaultValue={a?.Namespace ?? q.get('ns') ?? ''} /></label>
          <label>Metric name<input name="metric" required defaultValue={a?.MetricName ?? q.get('metric') ?? ''} /></label>
        </div>
        <label>Dimensions (Name=Value, comma separated)<input name="dimensions" defaultValue={dimText} /></label>
        <div className="row">
          <label>Statistic<select name="stat" defaultValue={a?.Statistic ?? 'Average'}>{['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'].map((s) => <option key={s}>{s}</option>)}</select></label>
          <label>Period (s)<select name="period" defaultValue={String(a?.Period ?? 60)}>{[10, 30, 60, 300, 900, 3600].map((p) => <option key={p}>{p}</option>)}</select></label>
          <label>Evaluation periods<input name="evaluationPeriods" type="number" min={1} required defaultValue={a?.EvaluationPeriods ?? 1} /></label>
          <label>Datapoints to alarm<input name="datapointsToAlarm" type="number" min={1} defaultValue={a?.DatapointsToAlarm ?? ''} /></label>
        </div>
        <div className="row">
          <label>Condition<select name="operator" defaultValue={a?.ComparisonOperator ?? 'GreaterThanThreshold'}>{OPERATORS.map((o) => <option key={o} value={o} title={o}>{OP_SIGN[o]} {OP_TEXT[o]}</option>)}</select></label>
          <label>Threshold<input name="threshold" type="number" step="any" required defaultValue={a?.Threshold ?? ''} /></label>
          <label>Missing data<select name="treatMissingData" defaultValue={a?.TreatMissingData ?? 'missing'}>{['missing', 'notBreaching', 'breaching', 'ignore'].map((t) => <option key={t}>{t}</option>)}</select></label>
        </div>
        <label>Alarm actions (SNS topic ARNs, comma separated)<input name="actions" defaultValue={(a?.AlarmActions ?? []).join(', ')} /></label>
        <ErrorBox error={error} />
        <div><button type="submit" disabled={busy}>{busy ? 'Saving…' : name ? 'Save alarm' : 'Create alarm'}</button></div>
      </form>
    </>
  );
}
