import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../../test/helpers/server.ts';
import { SignedJsonClient } from './signed-client.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface BulkGroup {
  server: TestServer;
  api: SignedJsonClient;
  rows: number;
  messageBytes: number;
  start: number;
  end: number;
  generateSeconds: number;
}

/**
 * A server whose log group holds `rows` deterministic events over 24 h (see bulk-log-events.ts):
 * the group and stream are made through the API, the events generated inside the engine while the
 * server is stopped, then the server is started again on the same data. `throughHead`: the events
 * go through the logs ingest pipeline instead (bulk-log-events-head.ts: blocks and search filters
 * as real ingest writes them; slower to load).
 */
export async function bulkGroup(group: string, rows: number, opts: { throughHead?: boolean } = {}): Promise<BulkGroup> {
  const end = Date.now() - 3_600_000;
  const span = 24 * 3_600_000;
  const start = end - span;
  let server = await startTestServer();
  const dataDir = server.dataDir;
  let api = new SignedJsonClient(server.url, 'logs', 'Logs_20140328');
  await api.call('CreateLogGroup', JSON.stringify({ logGroupName: group }));
  await api.call('CreateLogStream', JSON.stringify({ logGroupName: group, logStreamName: 's' }));
  // Two boundary events give the stream its time range in the metadata.
  for (const ts of [start, end]) {
    const r = await api.call('PutLogEvents', JSON.stringify({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: ts, message: 'boundary' }] }));
    if (r.status !== 200) throw new Error(r.body);
  }
  api.close();
  await server.stop();
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, opts.throughHead ? 'bulk-log-events-head.ts' : 'bulk-log-events.ts'), join(dataDir, 'telemetry'), '000000000000', 'us-east-1', group, 's', String(rows), String(start), String(span)], { encoding: 'utf8', cwd: join(here, '..', '..') });
  const gen = JSON.parse(out.trim().split('\n').pop()!) as { rows: number; messageBytes: number };
  const generateSeconds = (performance.now() - t0) / 1000;
  server = await startTestServer({ dataDir });
  api = new SignedJsonClient(server.url, 'logs', 'Logs_20140328');
  return { server, api, rows: gen.rows, messageBytes: gen.messageBytes, start, end, generateSeconds };
}
