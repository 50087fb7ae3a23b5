/**
 * Like bulk-log-events.ts, but the events go through the logs ingest pipeline the server uses
 * (WAL, head, per-block search filters: log-part-inserter.ts) instead of one INSERT … SELECT, so
 * searches see the blocks and filters real ingest produces. Same message template (the hashes are
 * JS ones, so the values differ); every 50th event contains ERROR, exactly one NEEDLE.
 * Usage: bulk-log-events-head.ts <telemetryDir> <account> <region> <group> <stream> <rows> <startMs> <spanMs>
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ChdbEngine } from '../../src/store/telemetry/engine.ts';
import { createLogEventPipeline } from '../../src/store/telemetry/log-head.ts';
import type { LogEventRow } from '../../src/store/telemetry/log-events.ts';
import { IngestOverloadedError } from '../../src/store/telemetry/group-commit.ts';

const [dir, account, region, group, stream, rowsText, startText, spanText] = process.argv.slice(2);
const rows = Number(rowsText);
const start = Number(startText);
const span = Number(spanText);
const needle = Math.floor(rows * 0.73);
const REQUEST = 10_000;
const IN_FLIGHT = 8;
const PATHS = ['cart', 'users', 'orders', 'search'];

const hash = (n: number, k: number): number => {
  let h = Math.imul(n ^ Math.imul(k + 1, 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

function message(n: number): string {
  const error = n % 50 === 7;
  return `2026-11-21T10:00:00.000Z ${error ? 'ERROR' : 'INFO'} [req-${hash(n, 0) % 1_000_000}] GET /api/v1/${PATHS[n % 4]}/${n % 10007}` +
    ` status=${error ? '500' : '200'} latency_ms=${hash(n, 1) % 900}${n === needle ? ' NEEDLE' : ''}` +
    ` user_agent="Mozilla/5.0 (X11; Linux x86_64)" ref=https://example.com/p/${n % 997} pad=${'x'.repeat(40 + (hash(n, 2) % 20))}`;
}

const engine = await ChdbEngine.open({ path: dir });
const walDir = join(dir, '..', 'bulk-wal');
const pipeline = await createLogEventPipeline(engine, { dir: walDir, fsync: false });
let next = 0;
let bytes = 0;
async function sender(): Promise<void> {
  while (next < rows) {
    const first = next;
    const n = Math.min(REQUEST, rows - first);
    next += n;
    const batch: LogEventRow[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const k = first + i;
      const ts = start + Math.floor((k * span) / rows);
      const m = message(k);
      bytes += Buffer.byteLength(m);
      batch[i] = { account, region, logGroup: group, logStream: stream, ts, ingestTs: ts, seq: 1_048_576n + BigInt(k), message: m };
    }
    for (;;) {
      try {
        await pipeline.append(batch);
        break;
      } catch (e) {
        if (!(e instanceof IngestOverloadedError)) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
await pipeline.sync();
await pipeline.close();
await engine.close();
rmSync(walDir, { recursive: true, force: true });
console.log(JSON.stringify({ rows, messageBytes: bytes }));
