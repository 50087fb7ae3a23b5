/**
 * Generates N deterministic log events straight into a stopped server's chDB directory with one
 * INSERT … SELECT (seconds instead of minutes over HTTP). Prints {rows, messageBytes} as JSON.
 * Usage: bulk-log-events.ts <telemetryDir> <account> <region> <group> <stream> <rows> <startMs> <spanMs>
 * ~200-byte messages; every 50th contains ERROR; exactly one contains NEEDLE.
 */
import { ChdbEngine } from '../../src/store/telemetry/engine.ts';

const [dir, account, region, group, stream, rowsText, startText, spanText] = process.argv.slice(2);
const rows = Number(rowsText);
const engine = await ChdbEngine.open({ path: dir });
await engine.exec(
  `INSERT INTO log_events (account, region, log_group, log_stream, ts, ingest_ts, seq, message, key_id)
   SELECT {account:String}, {region:String}, {group:String}, {stream:String},
          {start:Int64} + intDiv(number * {span:Int64}, {rows:Int64}), {start:Int64} + intDiv(number * {span:Int64}, {rows:Int64}),
          1048576 + number,
          concat(
            '2026-11-21T10:00:00.000Z ', if(number % 50 = 7, 'ERROR', 'INFO'), ' [req-', toString(cityHash64(number) % 1000000), '] ',
            'GET /api/v1/', ['cart', 'users', 'orders', 'search'][1 + number % 4], '/', toString(number % 10007),
            ' status=', if(number % 50 = 7, '500', '200'), ' latency_ms=', toString(cityHash64(number, 1) % 900),
            if(number = {needle:UInt64}, ' NEEDLE', ''),
            ' user_agent="Mozilla/5.0 (X11; Linux x86_64)" ref=https://example.com/p/', toString(number % 997), ' pad=',
            repeat('x', toUInt64(40 + cityHash64(number, 2) % 20))),
          ''
   FROM numbers({rows:UInt64})`,
  { account, region, group, stream, rows, start: Number(startText), span: Number(spanText), needle: Math.floor(rows * 0.73) },
);
const stats = await engine.query<{ n: string; b: string }>(
  'SELECT toString(count()) AS n, toString(sum(length(message))) AS b FROM log_events WHERE log_group = {group:String}',
  { group },
);
await engine.close();
console.log(JSON.stringify({ rows: Number(stats[0].n), messageBytes: Number(stats[0].b) }));
