import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { ROOT } from './server.ts';

export interface StoredPoint {
  account: string;
  region: string;
  namespace: string;
  metric_name: string;
  dimensions: Record<string, string>;
  ts: number;
  storage_resolution: number;
  unit: string;
  sample_count: number;
  sum: number;
  min: number;
  max: number;
  values: number[];
  counts: number[];
}

/** The metric points of a stopped server (its data dir's chDB, read in a child process). */
export async function readMetricPoints(dataDir: string): Promise<StoredPoint[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'dump-metric-points.ts'), join(dataDir, 'telemetry')],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as StoredPoint);
}
