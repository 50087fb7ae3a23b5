// A graph of metric specs over a time range: the one chart used by Metrics, Alarms and Dashboards.
import { useMemo } from 'react';
import { TimeChart } from './chart.tsx';
import { fetchSeries, type MetricSpec } from './metrics.ts';
import { useSession } from './app-context.ts';
import { resolveRange, autoPeriod } from './time.ts';
import { useAsync, useInterval, ErrorBox, Loading, Empty } from './ui.tsx';

export function MetricGraph({ specs, range, period, threshold, refreshMs = 0, height, label }: {
  specs: MetricSpec[]; range: string; period?: number; threshold?: number; refreshMs?: number; height?: number; label?: string;
}) {
  const c = useSession();
  const key = JSON.stringify(specs);
  const state = useAsync(async () => {
    const r = resolveRange(range);
    return { series: await fetchSeries(c, specs, r.start, r.end, period ?? autoPeriod(r.start, r.end)), r };
  }, [key, range, period]);
  useInterval(state.reload, refreshMs);
  const series = useMemo(() => state.data?.series ?? [], [state.data]);
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.data) return <Loading what="Loading metrics" />;
  if (specs.length === 0) return <Empty>Select metrics to graph.</Empty>;
  const points = series.reduce((n, s) => n + s.points.length, 0);
  return (
    <div className="graph">
      <TimeChart series={series} threshold={threshold} range={state.data.r} height={height} label={label} />
      {points === 0 && <div className="overlay">No data points in this time range.</div>}
    </div>
  );
}
