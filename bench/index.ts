/**
 * `npm run bench -- <scenario> [options]`. Each scenario prints one table, writes JSON to
 * bench/results/<scenario>-<timestamp>.json and regenerates the latest-numbers block of
 * BENCHMARKS.md (`npm run bench -- report` does only that).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { updateReport } from './lib/report.ts';

const SCENARIOS: Record<string, () => Promise<{ run: (args: string[]) => Promise<Record<string, unknown>> }>> = {
  'ingest-logs': () => import('./ingest-logs.ts'),
  'filter-logs': () => import('./filter-logs.ts'),
  insights: () => import('./insights.ts'),
  'ingest-metrics': () => import('./ingest-metrics.ts'),
  'get-metric-data': async () => {
    const m = await import('./ingest-metrics.ts');
    return { run: (a: string[]) => m.run(['--seconds', '0', ...a]) };
  },
  'alarm-latency': () => import('./alarm-latency.ts'),
  peers: () => import('./peers.ts'),
  events: () => import('./events.ts'),
  schedules: () => import('./schedules.ts'),
  traces: () => import('./traces.ts'),
  otlp: () => import('./otlp.ts'),
  agent: () => import('./agent.ts'),
  'insight-rules': () => import('./insight-rules.ts'),
  anomaly: () => import('./anomaly.ts'),
  canaries: () => import('./canaries.ts'),
  athena: () => import('./athena.ts'),
  'athena-external': () => import('./athena-external.ts'),
  queues: () => import('./queues.ts'),
  streams: () => import('./streams.ts'),
  'ops-backup': () => import('./ops-backup.ts'),
};

const [name = 'ingest-logs', ...args] = process.argv.slice(2);
const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
const benchmarksMd = join(dirname(fileURLToPath(import.meta.url)), '..', 'BENCHMARKS.md');
if (name === 'report') {
  updateReport(dir, benchmarksMd);
  console.log('BENCHMARKS.md latest-numbers block regenerated');
  process.exit(0);
}
const load = SCENARIOS[name];
if (!load) {
  console.error(`unknown scenario "${name}"; available: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
const result = await (await load()).run(args);
mkdirSync(dir, { recursive: true });
const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ scenario: name, date: new Date().toISOString(), ...result }, null, 2));
console.log(`\nresults written to ${file}`);
updateReport(dir, benchmarksMd);
process.exit(0);
