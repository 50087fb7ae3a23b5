/**
 * The metric queue on disk, for when the server is away: once a PutMetricData call fails for a
 * passing reason, the whole queue is written to `<state-dir>/metrics-queue.json` (atomically:
 * a temporary file renamed over the old one) and rewritten as datums are added while sends keep
 * failing; it is removed when the queue drains. An agent restarted meanwhile loads it and sends it
 * first, in order. Bounded by the publisher's queue limit (100,000 datums, ~25 MB of JSON).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { QueuedDatums } from './metric-publisher.ts';

export class MetricSpool {
  private readonly file: string;

  constructor(private readonly dir: string) {
    this.file = join(dir, 'metrics-queue.json');
  }

  /** What an earlier run left unsent, oldest first ([] when nothing or unreadable). */
  load(): QueuedDatums[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    try {
      const groups = JSON.parse(text) as { namespace: string; datums: (MetricDatum & { Timestamp?: string | Date })[] }[];
      return groups.map((g) => ({ namespace: g.namespace, datums: g.datums.map((d) => (d.Timestamp ? { ...d, Timestamp: new Date(d.Timestamp) } : d)) }));
    } catch {
      return [];
    }
  }

  save(queue: readonly QueuedDatums[]): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(queue));
    renameSync(tmp, this.file);
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
