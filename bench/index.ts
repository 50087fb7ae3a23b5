/**
 * `npm run bench -- <scenario> [options]`. Each scenario prints one table and writes JSON to
 * bench/results/<scenario>-<timestamp>.json.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCENARIOS: Record<string, () => Promise<{ run: (args: string[]) => Promise<Record<string, unknown>> }>> = {
  'ingest-logs': () => import('./ingest-logs.ts'),
  'filter-logs': () => import('./filter-logs.ts'),
  insights: () => import('./insights.ts'),
  'ingest-metrics': () => import('./ingest-metrics.ts'),
  'alarm-latency': () => import('./alarm-latency.ts'),
  peers: () => import('./peers.ts'),
};

const [name = 'ingest-logs', ...args] = process.argv.slice(2);
const load = SCENARIOS[name];
if (!load) {
  console.error(`unknown scenario "${name}"; available: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
const result = await (await load()).run(args);
const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ scenario: name, date: new Date().toISOString(), ...result }, null, 2));
console.log(`\nresults written to ${file}`);
process.exit(0);
