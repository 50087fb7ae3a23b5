// CloudWatch Logs export tasks end to end: the real server, SDK v3, a local directory destination
// and a tiny S3-compatible HTTP server (path-style PutObject) defined here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  CancelExportTaskCommand,
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeExportTasksCommand,
  PutLogEventsCommand,
  type ExportTask,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

/** A minimal S3: stores PUT objects by (bucket, key), path-style; can hold matching PUTs. */
class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly authorizations: string[] = [];
  private hold: { match: (key: string) => boolean; gate: Promise<void>; reached: () => void } | undefined;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const path = new URL(req.url!, 'http://x').pathname;
      const [, bucket, ...rest] = path.split('/');
      const key = rest.map(decodeURIComponent).join('/');
      if (req.method !== 'PUT' || !bucket || !key) {
        res.writeHead(501).end();
        return;
      }
      this.authorizations.push(String(req.headers.authorization));
      const h = this.hold;
      if (h?.match(key)) {
        h.reached();
        await h.gate;
      }
      this.objects.set(`${decodeURIComponent(bucket)}/${key}`, Buffer.concat(chunks));
      res.writeHead(200, { ETag: '"etag"' }).end();
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Makes PUTs of matching keys wait; `reached` resolves when the first one arrives. */
  holdPuts(match: (key: string) => boolean): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const arrived = new Promise<void>((r) => (reached = r));
    this.hold = { match, gate, reached };
    return { reached: arrived, release: () => { this.hold = undefined; release(); } };
  }

  keys(prefix: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

const S3_KEY_ID = 'osprey-exporter';
const exportDir = mkdtempSync(join(tmpdir(), 'osprey-export-dir-'));
const s3 = new FakeS3();
let server: TestServer;
let logs: CloudWatchLogsClient;

const env = () => ({
  OSPREY_EXPORT_BUCKETS: JSON.stringify({
    'local-exports': pathToFileURL(exportDir).href,
    'remote-exports': `s3://real-bucket@${s3.url}`,
  }),
  OSPREY_EXPORT_S3_ACCESS_KEY_ID: S3_KEY_ID,
  OSPREY_EXPORT_S3_SECRET_ACCESS_KEY: 'exporter-secret',
});

before(async () => {
  await s3.start();
  server = await startTestServer({ env: env() });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});

after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
  await s3.stop();
  rmSync(exportDir, { recursive: true, force: true });
});

const BASE = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
const FROM = BASE + 1_000;
const TO = BASE + 2_000;

/** Events around [FROM, TO] in two streams plus one that the stream prefix excludes. */
async function seed(client: CloudWatchLogsClient, group: string): Promise<Record<string, { timestamp: number; message: string }[]>> {
  await client.send(new CreateLogGroupCommand({ logGroupName: group }));
  const streams: Record<string, { timestamp: number; message: string }[]> = {
    'app/1': [
      { timestamp: FROM - 1, message: 'too early' },
      { timestamp: FROM, message: 'first (at from)' },
      { timestamp: FROM + 10, message: 'json {"level":"info","n":1}' },
      { timestamp: FROM + 10, message: 'same millisecond, later sequence' },
      { timestamp: TO, message: 'last (at to)' },
      { timestamp: TO + 1, message: 'too late' },
    ],
    'app-2': [{ timestamp: FROM + 500, message: 'ünïcødé ✓ and a\nsecond line' }],
    'db': [{ timestamp: FROM + 5, message: 'database' }, { timestamp: BASE, message: 'db early' }],
  };
  for (const [name, events] of Object.entries(streams)) {
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
    await client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: name, logEvents: [...events].sort((a, b) => a.timestamp - b.timestamp) }));
  }
  return streams;
}

/** What AWS writes for a stream: `<ISO time> <message>` lines of the events in range, in order. */
const expectedLines = (events: { timestamp: number; message: string }[]) =>
  events.filter((e) => e.timestamp >= FROM && e.timestamp <= TO).map((e) => `${new Date(e.timestamp).toISOString()} ${e.message}\n`).join('');

async function waitForStatus(client: CloudWatchLogsClient, taskId: string, code: string): Promise<ExportTask> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [t] = (await client.send(new DescribeExportTasksCommand({ taskId }))).exportTasks ?? [];
    if (t?.status?.code === code) return t;
    if (Date.now() > deadline) throw new Error(`task ${taskId} is ${JSON.stringify(t?.status)}, expected ${code}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

test('exports exactly the events of [from, to] to a local directory, laid out as AWS does', async () => {
  const streams = await seed(logs, '/export/local');
  const { taskId } = await logs.send(new CreateExportTaskCommand({
    taskName: 'local-run', logGroupName: '/export/local', from: FROM, to: TO, destination: 'local-exports',
  }));
  assert.ok(taskId);
  const done = await waitForStatus(logs, taskId, 'COMPLETED');
  assert.equal(done.status?.message, 'Completed successfully');
  assert.equal(done.taskName, 'local-run');
  assert.equal(done.destinationPrefix, 'exportedlogs');
  assert.equal(done.from, FROM);
  assert.equal(done.to, TO);
  assert.ok(done.executionInfo?.creationTime && done.executionInfo.completionTime! >= done.executionInfo.creationTime);

  assert.deepEqual(listFiles(exportDir), [
    'aws-logs-write-test',
    `exportedlogs/${taskId}/app-2/000000.gz`,
    `exportedlogs/${taskId}/app/1/000000.gz`,
    `exportedlogs/${taskId}/db/000000.gz`,
  ].sort());
  assert.equal(readFileSync(join(exportDir, 'aws-logs-write-test'), 'utf8'), 'Permission Check Successful');
  for (const [name, events] of Object.entries(streams)) {
    const file = join(exportDir, 'exportedlogs', taskId, ...name.split('/'), '000000.gz');
    assert.equal(gunzipSync(readFileSync(file)).toString('utf8'), expectedLines(events), name);
  }
});

test('exports to an S3-compatible bucket with destinationPrefix and logStreamNamePrefix', async () => {
  const streams = await seed(logs, '/export/s3');
  const { taskId } = await logs.send(new CreateExportTaskCommand({
    logGroupName: '/export/s3', logStreamNamePrefix: 'app', from: FROM, to: TO,
    destination: 'remote-exports', destinationPrefix: 'team/nightly',
  }));
  const done = await waitForStatus(logs, taskId!, 'COMPLETED');
  assert.equal(done.destination, 'remote-exports');
  assert.equal(done.destinationPrefix, 'team/nightly');
  assert.equal(done.taskName, undefined);

  assert.deepEqual(s3.keys('real-bucket/team/nightly/'), [
    'real-bucket/team/nightly/aws-logs-write-test',
    `real-bucket/team/nightly/${taskId}/app-2/000000.gz`,
    `real-bucket/team/nightly/${taskId}/app/1/000000.gz`,
  ].sort());
  assert.equal(s3.objects.get('real-bucket/team/nightly/aws-logs-write-test')!.toString(), 'Permission Check Successful');
  for (const name of ['app/1', 'app-2']) {
    const body = s3.objects.get(`real-bucket/team/nightly/${taskId}/${name}/000000.gz`)!;
    assert.equal(gunzipSync(body).toString('utf8'), expectedLines(streams[name]), name);
  }
  assert.ok(s3.authorizations.every((a) => a.includes(`Credential=${S3_KEY_ID}/`)), 'signed with the configured export key');
});

test('one active export task per account: LimitExceededException while one runs; CancelExportTask ends it', async () => {
  await seed(logs, '/export/limit');
  const hold = s3.holdPuts((k) => k.startsWith('limit/') && k.endsWith('.gz'));
  const { taskId } = await logs.send(new CreateExportTaskCommand({
    logGroupName: '/export/limit', from: FROM, to: TO, destination: 'remote-exports', destinationPrefix: 'limit',
  }));
  await hold.reached;
  const running = await waitForStatus(logs, taskId!, 'RUNNING');
  assert.equal(running.status?.message, 'Started Successfully');

  await assert.rejects(
    logs.send(new CreateExportTaskCommand({ logGroupName: '/export/limit', from: FROM, to: TO, destination: 'local-exports' })),
    (e: Error) => e.name === 'LimitExceededException' && e.message === 'Resource limit exceeded.',
  );
  const active = await logs.send(new DescribeExportTasksCommand({ statusCode: 'RUNNING' }));
  assert.deepEqual(active.exportTasks?.map((t) => t.taskId), [taskId]);

  await logs.send(new CancelExportTaskCommand({ taskId }));
  hold.release();
  const cancelled = await waitForStatus(logs, taskId!, 'CANCELLED');
  assert.equal(cancelled.status?.message, 'Cancelled by user');
  await assert.rejects(logs.send(new CancelExportTaskCommand({ taskId })),
    (e: Error) => e.name === 'InvalidOperationException' && e.message === 'The specified export task has already finished');

  // The slot is free again.
  const next = await logs.send(new CreateExportTaskCommand({ logGroupName: '/export/limit', from: FROM, to: TO, destination: 'local-exports', destinationPrefix: 'after-limit' }));
  await waitForStatus(logs, next.taskId!, 'COMPLETED');
});

test('CreateExportTask and CancelExportTask refuse what AWS refuses', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/export/errors' }));
  const create = (over: Record<string, unknown>) =>
    logs.send(new CreateExportTaskCommand({ logGroupName: '/export/errors', from: FROM, to: TO, destination: 'local-exports', ...over }));
  await assert.rejects(create({ destination: 'no-such-bucket' }),
    (e: Error) => e.name === 'InvalidParameterException' &&
      e.message.startsWith('The given bucket does not exist. Please make sure the bucket is valid.') &&
      /bucket "no-such-bucket".*\(export\.buckets\).*OSPREY_EXPORT_BUCKETS/.test(e.message));
  await assert.rejects(create({ from: TO + 1 }), (e: Error) => e.name === 'InvalidParameterException');
  await assert.rejects(create({ logGroupName: '/export/missing' }),
    (e: Error) => e.name === 'ResourceNotFoundException' && e.message === 'The specified log group does not exist.');
  await assert.rejects(logs.send(new CancelExportTaskCommand({ taskId: '00000000-0000-0000-0000-000000000000' })),
    (e: Error) => e.name === 'ResourceNotFoundException' && e.message === 'The specified export task does not exist.');
  const none = await logs.send(new DescribeExportTasksCommand({ taskId: '00000000-0000-0000-0000-000000000000' }));
  assert.deepEqual(none.exportTasks, []);
});

test('DescribeExportTasks lists newest first and pages with limit/nextToken', async () => {
  await seed(logs, '/export/describe');
  const mine: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { taskId } = await logs.send(new CreateExportTaskCommand({
      logGroupName: '/export/describe', from: FROM, to: TO, destination: 'local-exports', destinationPrefix: `describe-${i}`,
    }));
    mine.push(taskId!);
    await waitForStatus(logs, taskId!, 'COMPLETED');
  }
  const all = (await logs.send(new DescribeExportTasksCommand({}))).exportTasks!.map((t) => t.taskId!);
  assert.deepEqual(all.filter((id) => mine.includes(id)), [...mine].reverse());
  const paged: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeExportTasksCommand({ limit: 1, nextToken }));
    assert.ok((page.exportTasks?.length ?? 0) <= 1);
    paged.push(...page.exportTasks!.map((t) => t.taskId!));
    nextToken = page.nextToken;
  } while (nextToken);
  assert.deepEqual(paged, all);
  const completed = await logs.send(new DescribeExportTasksCommand({ statusCode: 'COMPLETED' }));
  assert.ok(mine.every((id) => completed.exportTasks!.some((t) => t.taskId === id)));
});

test('a RUNNING export survives kill -9: after the restart it runs again and completes with the full content', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-export-restart-'));
  let srv: TestServer | undefined;
  let client: CloudWatchLogsClient | undefined;
  try {
    srv = await startTestServer({ dataDir, env: env() });
    client = new CloudWatchLogsClient(sdkConfig(srv.url));
    const streams = await seed(client, '/export/restart');
    const hold = s3.holdPuts((k) => k.startsWith('restart/') && k.includes('/app/1/'));
    const { taskId } = await client.send(new CreateExportTaskCommand({
      logGroupName: '/export/restart', from: FROM, to: TO, destination: 'remote-exports', destinationPrefix: 'restart',
    }));
    await hold.reached; // app-2 is written, app/1 is in flight
    await srv.kill();
    client.destroy();
    hold.release(); // the dead server's request died with it

    srv = await startTestServer({ dataDir, env: env() });
    client = new CloudWatchLogsClient(sdkConfig(srv.url));
    await waitForStatus(client, taskId!, 'COMPLETED');
    for (const [name, events] of Object.entries(streams)) {
      const body = s3.objects.get(`real-bucket/restart/${taskId}/${name}/000000.gz`);
      assert.ok(body, `missing ${name}`);
      assert.equal(gunzipSync(body).toString('utf8'), expectedLines(events), name);
    }
  } finally {
    client?.destroy();
    await srv?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
