// A graph of metric specs over a time range: the one chart used by Metrics, Alarms and Dashboards.
import { useEffect, useMemo } from 'react';
import { TimeChart, type ChartProps } from './chart.tsx';
import { fetchGraph, type MetricSpec } from './metrics.ts';
import { useSession } from './app-context.ts';
import { resolveRange, autoPeriod } from './time.ts';
import { useAsync, useInterval, ErrorBox, Loading, Empty } from './ui.tsx';

const NO_ERRORS: ReadonlyMap<string, string> = new Map();
/** The error line's height (theme.css .graph-error), taken from the chart's so a widget keeps its size. */
const STRIP_HEIGHT = 20;

/** Where an alarm with this comparison operator fires, for shading its graph. */
export function alarmShade(op: string | undefined): ChartProps['shade'] {
  return op?.startsWith('Greater') ? 'above' : op?.startsWith('Less') ? 'below' : undefined;
}

export function MetricGraph({ specs, range, period, threshold, shade, refreshMs = 0, height, label, onErrors }: {
  specs: MetricSpec[]; range: string; period?: number; threshold?: number; shade?: ChartProps['shade']; refreshMs?: number; height?: number; label?: string;
  /** Receives the rows that could not be drawn; without it the graph lists them itself. */
  onErrors?: (errors: ReadonlyMap<string, string>) => void;
}) {
  const c = useSession();
  const key = JSON.stringify(specs);
  const state = useAsync(async () => {
    const r = resolveRange(range);
    return { ...(await fetchGraph(c, specs, r.start, r.end, period ?? autoPeriod(r.start, r.end))), r };
  }, [key, range, period]);
  useInterval(state.reload, refreshMs);
  const series = useMemo(() => state.data?.series ?? [], [state.data]);
  const errors = state.data?.errors ?? NO_ERRORS;
  useEffect(() => onErrors?.(errors), [errors, onErrors]);
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.data) return <Loading what="Loading metrics" />;
  if (specs.length === 0) return <Empty>Select metrics to graph.</Empty>;
  const points = series.reduce((n, s) => n + s.points.length, 0);
  // Without a table of rows to mark (dashboards), one line above the plot names what is left out.
  const strip = !onErrors && errors.size > 0 ? [...errors].map(([id, message]) => `${id}: ${message}`).join(' · ') : undefined;
  return (
    <div className="graph">
      {strip && <div className="graph-error" role="alert" title={strip}>⚠ {strip}</div>}
      <TimeChart series={series} threshold={threshold} shade={shade} range={state.data.r} height={strip && height ? height - STRIP_HEIGHT : height} label={label} />
      {points === 0 && <div className="overlay">No data points in this time range.</div>}
    </div>
  );
}
