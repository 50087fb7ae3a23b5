/**
 * Micro-benchmark of WAL append throughput: `npx tsx src/store/ingest/wal-bench.ts [seconds] [recordBytes]`
 * (wrap in `flock /tmp/heavy.lock`). Each of C concurrent appenders awaits its append before the
 * next, like request handlers; prints records/s, MB/s, records per group write and p50/p99 latency
 * with fsync off and on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wal } from './wal.ts';

const seconds = Number(process.argv[2] ?? 2);
const recordBytes = Number(process.argv[3] ?? 1024);

async function run(fsync: boolean, appenders: number): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), 'wal-bench-'));
  let groups = 0;
  const { wal } = await Wal.open<number>({ dir, fsync, onDurable: () => void groups++ });
  const payload = Buffer.alloc(recordBytes, 0x61);
  const latencies: number[] = [];
  let records = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: appenders }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await wal.append(payload, 0);
      latencies.push(performance.now() - t);
      records++;
    }
  }));
  await wal.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const q = (p: number): string => latencies[Math.floor(p * (latencies.length - 1))]!.toFixed(3);
  return {
    fsync: String(fsync), appenders, 'records/s': Math.round(records / seconds),
    'MB/s': +(records * recordBytes / seconds / 1e6).toFixed(1), 'records/write': +(records / groups).toFixed(1),
    'p50 ms': q(0.5), 'p99 ms': q(0.99),
  };
}

const rows = [];
for (const fsync of [false, true]) {
  for (const appenders of [8, 64]) rows.push(await run(fsync, appenders));
}
console.log(`WAL append, ${recordBytes}-byte records, ${seconds} s each`);
console.table(rows);
