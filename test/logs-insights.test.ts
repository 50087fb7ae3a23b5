import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetQueryResultsCommand,
  MalformedQueryException,
  PutLogEventsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type ResultField,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';
import { alternativeRows, rowsMatch, type VectorQuery } from './helpers/insights-vectors.ts';

interface VectorEvent { '@timestamp': string; '@timestamp_ms'?: number; '@logStream': string; '@message': string }
const vectors = JSON.parse(readFileSync(new URL('../../shared/vectors/logs-insights.json', import.meta.url), 'utf8')) as {
  datasets: Record<string, { logGroup: string; events: VectorEvent[] }>;
  queries: VectorQuery[];
};

const run = promisify(execFile);
const DAY = 86_400_000;
const tsOf = (e: VectorEvent): number => e['@timestamp_ms'] ?? Date.parse(`${e['@timestamp'].replace(' ', 'T')}Z`);
// The vectors are dated 2024; PutLogEvents accepts only the last 14 days, so the data is moved
// forward by whole weeks (bins, weekdays and times of day stay the same) and expectations with it.
const base = Math.min(...Object.values(vectors.datasets).flatMap((d) => d.events.map(tsOf)));
const SHIFT = Math.floor((Date.now() - base) / (7 * DAY)) * 7 * DAY - 7 * DAY;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3})$/;
const shiftValue = (v: unknown): unknown => {
  // Epoch-millisecond values of the dataset (toMillis, @timestamp as a number) move with it.
  if (typeof v === 'number') return Math.abs(v - base) < 30 * DAY ? v + SHIFT : v;
  if (typeof v !== 'string') return v;
  const m = TIMESTAMP.exec(v);
  return m ? new Date(Date.parse(`${m[1]}T${m[2]}Z`) + SHIFT).toISOString().replace('T', ' ').replace('Z', '') : v;
};
const shiftRows = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, shiftValue(v)])));

let server: TestServer;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  for (const ds of Object.values(vectors.datasets)) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: ds.logGroup }));
    const byStream = new Map<string, { timestamp: number; message: string }[]>();
    for (const e of ds.events) {
      const list = byStream.get(e['@logStream']) ?? [];
      list.push({ timestamp: tsOf(e) + SHIFT, message: e['@message'] });
      byStream.set(e['@logStream'], list);
    }
    for (const [stream, events] of byStream) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: ds.logGroup, logStreamName: stream }));
      events.sort((a, b) => a.timestamp - b.timestamp);
      const res = await logs.send(new PutLogEventsCommand({ logGroupName: ds.logGroup, logStreamName: stream, logEvents: events }));
      assert.equal(res.rejectedLogEventsInfo, undefined);
    }
  }
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

const window = () => ({ startTime: Math.floor((base + SHIFT - DAY) / 1000), endTime: Math.floor((base + SHIFT + 30 * DAY) / 1000) });

async function results(queryId: string) {
  for (let i = 0; i < 600; i++) {
    const r = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (r.status !== 'Running' && r.status !== 'Scheduled') return r;
    await new Promise((x) => setTimeout(x, 50));
  }
  throw new Error('query did not finish');
}

const asRows = (rs: ResultField[][] | undefined) => (rs ?? []).map((r) => Object.fromEntries(r.map((f) => [f.field!, f.value!])));

for (const v of vectors.queries) {
  test(`insights vector ${v.id}: ${v.query}`, async () => {
    const group = vectors.datasets[v.dataset].logGroup;
    if (v.expected_rows === null) {
      const err = await logs.send(new StartQueryCommand({ logGroupName: group, queryString: v.query, ...window() })).catch((e) => e);
      assert.ok(err instanceof MalformedQueryException, `expected MalformedQueryException, got ${err?.name ?? 'success'}`);
      return;
    }
    const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: group, queryString: v.query, ...window() }));
    const r = await results(queryId!);
    assert.equal(r.status, 'Complete');
    const actual = asRows(r.results);
    const candidates = [v.expected_rows, ...alternativeRows(v)].map(shiftRows);
    assert.ok(candidates.some((c) => rowsMatch(actual, c, v.ordered)), `got ${JSON.stringify(actual)}\nwant ${JSON.stringify(candidates[0])}`);
    assert.ok((r.statistics?.recordsScanned ?? 0) > 0);
  });
}

test('StopQuery on a finished query is refused; statistics are reported', async () => {
  const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: '/vectors/app', queryString: 'stats count(*)', ...window() }));
  const r = await results(queryId!);
  assert.equal(r.status, 'Complete');
  assert.ok(r.statistics!.bytesScanned! > 0);
  await assert.rejects(logs.send(new StopQueryCommand({ queryId })));
});

test('aws logs start-query / get-query-results (CLI v1 on PATH)', async () => {
  const w = window();
  const cli = async (args: string[]) => JSON.parse((await run('aws', ['logs', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() })).stdout);
  const { queryId } = await cli(['start-query', '--log-group-name', '/vectors/app', '--start-time', String(w.startTime), '--end-time', String(w.endTime), '--query-string', 'stats count(*) as n']);
  let r;
  for (let i = 0; i < 100; i++) {
    r = await cli(['get-query-results', '--query-id', queryId]);
    if (r.status === 'Complete') break;
    await new Promise((x) => setTimeout(x, 100));
  }
  assert.equal(r.status, 'Complete');
  assert.equal(r.results[0].find((f: { field: string }) => f.field === 'n').value, String(vectors.datasets[vectors.queries[0].dataset] ? vectors.datasets.main.events.length : 0));
});
