// A run's HAR file as a waterfall: a row per request with its status and URL and a bar from its
// start (relative to the first request) for its duration, colored by status class, as browsers'
// network panels and CloudWatch's HAR viewer draw them.
import { formatBytes } from '../time.ts';
import { formatDuration } from './canaries-api.ts';
import type { HarRow } from './canaries-artifacts.ts';

const color = (status: number): string =>
  status >= 500 || status === 0 ? '#d13212' : status >= 400 ? '#f89256' : status >= 300 ? '#9469d6' : '#2ea597';

export function HarWaterfall({ rows }: { rows: HarRow[] }) {
  if (rows.length === 0) return <p className="muted">The HAR file has no requests.</p>;
  const span = Math.max(1, ...rows.map((r) => r.offset + r.duration));
  return (
    <table aria-label="HAR waterfall">
      <thead><tr><th>Status</th><th>Method</th><th>URL</th><th>Type</th><th>Size</th><th>Time</th><th style={{ width: '30%' }}>Waterfall ({formatDuration(span)})</th></tr></thead>
      <tbody>{rows.map((r, i) => (
        <tr key={i}>
          <td>{r.status || 'failed'}</td>
          <td>{r.method}</td>
          <td className="msg" title={r.url}>{r.url.length > 120 ? `${r.url.slice(0, 117)}…` : r.url}</td>
          <td>{r.mimeType?.split(';')[0] ?? ''}</td>
          <td>{r.size === undefined ? '' : formatBytes(r.size)}</td>
          <td>{formatDuration(r.duration)}</td>
          <td>
            <div className="bar-track">
              <div title={`starts at ${formatDuration(r.offset)}, takes ${formatDuration(r.duration)}`}
                style={{ left: `${(r.offset / span) * 100}%`, width: `${(r.duration / span) * 100}%`, background: color(r.status) }} />
            </div>
          </td>
        </tr>
      ))}</tbody>
    </table>
  );
}
