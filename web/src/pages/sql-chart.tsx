// A chart of a query's result: pick the x column and the numeric y columns, as lines or bars.
// A timestamp or date x gives a time axis (TimeChart); any other x gives one category per row.
// The chart reads up to MAX_ROWS rows of the result, and says so when there are more.
import { useMemo, useState } from 'react';
import type { QueryExecution } from '@aws-sdk/client-athena';
import { CategoryChart, TimeChart, type Series } from '../chart.tsx';
import { AsyncView, useAsync } from '../ui.tsx';
import { allRows, useAthena, type Cell } from './sql-api.ts';
import type { Column } from './sql-catalog.ts';

const MAX_ROWS = 10_000;
const NUMERIC = /^(tinyint|smallint|integer|int|bigint|real|double|float|decimal)/i;
const TIME = /^(timestamp|date)/i;

export const isNumeric = (c: Column): boolean => NUMERIC.test(c.type);

/** Athena's text form of a timestamp or date ("2026-12-06 02:55:24.123", "… UTC", "2026-12-06") in ms, UTC. */
export function timeOf(v: Cell): number {
  if (v === null) return NaN;
  const iso = v.trim().replace(' ', 'T').replace(/ UTC$/, '');
  return Date.parse(iso.includes('T') && !/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? `${iso}Z` : iso);
}

const num = (v: Cell): number => (v === null || v === '' ? NaN : Number(v));

/** The first time column, else the first non-numeric one, else the first. */
const defaultX = (cols: Column[]): number => {
  const t = cols.findIndex((c) => TIME.test(c.type));
  if (t >= 0) return t;
  return Math.max(0, cols.findIndex((c) => !isNumeric(c)));
};

function Plot({ columns, rows, x, ys, kind }: { columns: Column[]; rows: Cell[][]; x: number; ys: number[]; kind: 'line' | 'bar' }) {
  const time = TIME.test(columns[x]?.type ?? '');
  const series = useMemo((): Series[] => ys.map((y) => ({
    name: columns[y]!.name,
    points: rows.map((r): [number, number] => [timeOf(r[x]!), num(r[y]!)]).filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v)).sort((a, b) => a[0] - b[0]),
  })), [columns, rows, x, ys]);
  const categories = useMemo(() => rows.map((r) => r[x] ?? 'NULL'), [rows, x]);
  const values = useMemo(() => ys.map((y) => ({ name: columns[y]!.name, values: rows.map((r) => num(r[y]!)) })), [columns, rows, ys]);
  if (time) return <TimeChart series={series} kind={kind} label="sql-chart" />;
  return <CategoryChart categories={categories} series={values} kind={kind} label="sql-chart" />;
}

export function ResultChart({ execution }: { execution: QueryExecution }) {
  const athena = useAthena();
  const result = useAsync(() => allRows(athena, execution, MAX_ROWS), [execution.QueryExecutionId]);
  return (
    <AsyncView state={result} isEmpty={(r) => r.rows.length === 0} empty="No rows to chart.">
      {(r) => <ChartControls columns={r.columns} rows={r.rows} complete={r.complete} />}
    </AsyncView>
  );
}

function ChartControls({ columns, rows, complete }: { columns: Column[]; rows: Cell[][]; complete: boolean }) {
  const [x, setX] = useState(() => defaultX(columns));
  const [ys, setYs] = useState(() => columns.map((c, i) => i).filter((i) => i !== defaultX(columns) && isNumeric(columns[i]!)));
  const [kind, setKind] = useState<'line' | 'bar'>(() => (TIME.test(columns[defaultX(columns)]?.type ?? '') ? 'line' : 'bar'));
  const toggle = (i: number) => setYs((old) => (old.includes(i) ? old.filter((y) => y !== i) : [...old, i].sort((a, b) => a - b)));
  const numeric = columns.map((c, i) => ({ c, i })).filter(({ c, i }) => i !== x && isNumeric(c));
  return (
    <>
      <div className="toolbar" role="group" aria-label="Chart settings">
        <div className="range" role="group" aria-label="Chart type">
          {(['line', 'bar'] as const).map((k) => (
            <button key={k} type="button" className={kind === k ? 'active' : ''} aria-pressed={kind === k} onClick={() => setKind(k)}>{k === 'line' ? 'Line' : 'Bar'}</button>
          ))}
        </div>
        <label>X axis <select aria-label="X axis" value={x} onChange={(e) => (setX(Number(e.target.value)), setYs((old) => old.filter((y) => y !== Number(e.target.value))))}>
          {columns.map((c, i) => <option key={i} value={i}>{c.name}</option>)}
        </select></label>
        <span className="muted">Y axis:</span>
        {numeric.length === 0 ? <span className="muted">no numeric columns</span> : numeric.map(({ c, i }) => (
          <label key={i}><input type="checkbox" checked={ys.includes(i)} onChange={() => toggle(i)} /> {c.name}</label>
        ))}
      </div>
      {ys.length === 0 ? <div className="state empty">Pick a numeric column for the Y axis.</div>
        : <Plot columns={columns} rows={rows} x={x} ys={ys} kind={kind} />}
      {!complete && <div className="muted">Charting the first {MAX_ROWS.toLocaleString()} rows.</div>}
    </>
  );
}
