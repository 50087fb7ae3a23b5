// Logs Insights `stats` results as chart series, for dashboard log widgets with "view": "bar" or
// "timeSeries" (CloudWatch draws those as a visualization rather than a table).
// No imports, so the Node tests can load it: the shapes match chart.tsx's Series and CategorySeries.

interface Series { name: string; points: [number, number][] }

export type LogChartData =
  | { kind: 'time'; series: Series[] }
  | { kind: 'category'; categories: string[]; series: { name: string; values: number[] }[] };

/** Insights prints times as "2024-01-01 12:00:00.000" in UTC. */
const INSIGHTS_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/;
const timeOf = (v: string) => Date.parse(`${v.replace(' ', 'T').replace(/Z$/, '')}Z`);

/**
 * How many `by` groups the query's last stats command has: results list those columns first, then
 * one column per aggregate. Commas inside parentheses (bin(5m), functions) do not separate groups.
 */
export function groupCount(query: string): number {
  const stats = query.split('|').map((c) => c.trim()).filter((c) => /^stats\b/i.test(c)).pop();
  const by = stats === undefined ? undefined : /\bby\b([\s\S]*)$/i.exec(stats)?.[1];
  if (by === undefined || by.trim() === '') return 0;
  let depth = 0;
  let groups = 1;
  for (const ch of by) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) groups++;
  }
  return groups;
}

/**
 * Series from stats results: with a time group (bin(…)) one line per aggregate and per value of
 * the other groups; otherwise bars per group value. Undefined when there is nothing numeric to draw.
 */
export function logChartData(query: string, fields: string[], rows: Record<string, string>[]): LogChartData | undefined {
  const columns = fields.filter((f) => f !== '@ptr');
  const groups = columns.slice(0, groupCount(query));
  const aggregates = columns.slice(groups.length).filter((f) => rows.some((r) => Number.isFinite(Number(r[f] ?? ''))));
  if (rows.length === 0 || aggregates.length === 0) return undefined;
  const time = groups.find((g) => rows.every((r) => INSIGHTS_TIME.test(r[g] ?? '')));
  const others = groups.filter((g) => g !== time);
  const key = (r: Record<string, string>) => others.map((g) => r[g] ?? '').join(' ');
  const nameOf = (k: string, a: string) => [k, aggregates.length > 1 || k === '' ? a : ''].filter(Boolean).join(' ');
  if (time === undefined) {
    return {
      kind: 'category',
      categories: rows.map((r) => key(r) || '(all)'),
      series: aggregates.map((a) => ({ name: a, values: rows.map((r) => Number(r[a] ?? 0)) })),
    };
  }
  const byName = new Map<string, Series>();
  for (const r of rows) {
    for (const a of aggregates) {
      const name = nameOf(key(r), a);
      const s = byName.get(name) ?? { name, points: [] };
      byName.set(name, s);
      const v = Number(r[a]);
      if (r[a] !== undefined && r[a] !== '' && Number.isFinite(v)) s.points.push([timeOf(r[time]!), v]);
    }
  }
  for (const s of byName.values()) s.points.sort((x, y) => x[0] - y[0]);
  return { kind: 'time', series: [...byName.values()] };
}
