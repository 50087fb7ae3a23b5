/**
 * Prints the active (post-merge) on-disk and raw sizes of each telemetry table in a chDB data
 * directory as one JSON line. Run as its own process: chDB binds one directory per process.
 * `du` overstates right after ingest because merged-away parts linger until a cleanup pass.
 */
import { ChdbEngine } from '../../src/store/telemetry/engine.ts';

const engine = await ChdbEngine.open({ path: process.argv[2] });
const rows = await engine.query<{ table: string; rows: string; disk: string; raw: string }>(
  `SELECT table, toString(sum(rows)) AS rows, toString(sum(bytes_on_disk)) AS disk,
          toString(sum(data_uncompressed_bytes)) AS raw
   FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table`,
);
await engine.close();
console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.table, { rows: Number(r.rows), diskBytes: Number(r.disk), uncompressedBytes: Number(r.raw) }]))));
