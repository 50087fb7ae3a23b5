/**
 * EventBridge archives and replays through SDK v3 and the AWS CLI v1 against the real server: an
 * archive on a custom bus keeps what its pattern matches, a replay sends the archived events again
 * to a rule's Lambda (HTTP) target with "replay-name", replayed events are not archived again,
 * (account, region) isolation, and AWS's errors.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import {
  CancelReplayCommand, CreateArchiveCommand, CreateEventBusCommand, DeleteArchiveCommand, DescribeArchiveCommand, DescribeReplayCommand,
  EventBridgeClient, ListArchivesCommand, ListReplaysCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, StartReplayCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';
import { failure as failed } from './helpers/failure.ts';

/** The error's code and message only (these tests compare them whole). */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const { name, message } = await failed(p);
  return { name, message };
}

const run = promisify(execFile);
const ACCOUNT = '000000000000';
const P = `arn:aws:events:us-east-1:${ACCOUNT}`;
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:fn`;
const RESTART_FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:restart`;
let server: TestServer;
let rx: Receiver;
let eb: EventBridgeClient;
let other: EventBridgeClient;

const serverEnv = () => ({
  OSPREY_DELIVERY_POLL_MS: '100', OSPREY_DELIVERY_BACKOFF_MS: '100', OSPREY_DELIVERY_MAX_BACKOFF_MS: '200',
  OSPREY_LAMBDA_URLS: JSON.stringify({ [FN]: `${rx.url}/fn`, [RESTART_FN]: `${rx.url}/restart` }),
  OSPREY_ACCESS_KEYS: JSON.stringify([
    { accessKeyId: 'test', secretAccessKey: 'test', accountId: ACCOUNT },
    { accessKeyId: 'OTHER', secretAccessKey: 'other', accountId: '111111111111' },
  ]),
});

async function boot(dataDir?: string) {
  server = await startTestServer({ modules: ['events', 'logs', 'sns'], env: serverEnv(), dataDir });
  eb = new EventBridgeClient(sdkConfig(server.url));
  other = new EventBridgeClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'OTHER', secretAccessKey: 'other' } });
}

before(async () => {
  rx = await startReceiver();
  await boot();
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await rx?.close();
});

const cli = async (...args: string[]) =>
  JSON.parse((await run('aws', ['events', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() })).stdout || '{}') as Record<string, unknown>;

const bodies = (path: string) => rx.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);

test('an archive keeps what its pattern matches; a replay sends it again to the rule target with "replay-name"', async () => {
  const { EventBusArn: busArn } = await eb.send(new CreateEventBusCommand({ Name: 'shop' }));
  const created = await eb.send(new CreateArchiveCommand({
    ArchiveName: 'orders', EventSourceArn: busArn, Description: 'orders only', EventPattern: JSON.stringify({ source: ['orders'] }), RetentionDays: 1,
  }));
  assert.equal(created.ArchiveArn, `${P}:archive/orders`);
  assert.equal(created.State, 'ENABLED');
  const start = new Date(Date.now() - 60_000);
  const put = await eb.send(new PutEventsCommand({
    Entries: [
      { EventBusName: 'shop', Source: 'orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ n: 1 }) },
      { EventBusName: 'shop', Source: 'billing', DetailType: 'Invoice', Detail: JSON.stringify({ n: 2 }) },
      { EventBusName: 'shop', Source: 'orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ n: 3 }) },
    ],
  }));
  assert.equal(put.FailedEntryCount, 0);
  // Archived before PutEvents answered.
  const described = await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders' }));
  assert.equal(described.EventCount, 2);
  assert.ok(described.SizeBytes! > 0);
  assert.equal(described.EventSourceArn, busArn);
  assert.equal(described.EventPattern, JSON.stringify({ source: ['orders'] }));

  // The rule exists only now: the original events reached no target, the replay will.
  const { RuleArn: ruleArn } = await eb.send(new PutRuleCommand({ Name: 'all-orders', EventBusName: 'shop', EventPattern: JSON.stringify({ source: ['orders'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'all-orders', EventBusName: 'shop', Targets: [{ Id: 'fn', Arn: FN }] }));
  const started = await eb.send(new StartReplayCommand({
    ReplayName: 'again', EventSourceArn: created.ArchiveArn, EventStartTime: start, EventEndTime: new Date(Date.now() + 60_000),
    Destination: { Arn: busArn, FilterArns: [ruleArn!] },
  }));
  assert.equal(started.ReplayArn, `${P}:replay/again`);
  assert.equal(started.State, 'STARTING');
  const done = await until('the replay to complete', async () => {
    const r = await eb.send(new DescribeReplayCommand({ ReplayName: 'again' }));
    return r.State === 'COMPLETED' ? r : undefined;
  }, 15_000);
  assert.deepEqual(done.Destination, { Arn: busArn, FilterArns: [ruleArn] });
  assert.ok(done.EventLastReplayedTime && done.ReplayEndTime);
  const got = await until('the replayed events at the target', () => (bodies('/fn').length >= 2 ? bodies('/fn') : undefined), 15_000);
  assert.deepEqual(got.map((e) => (e.detail as { n: number }).n).sort(), [1, 3]);
  assert.ok(got.every((e) => e['replay-name'] === 'again' && e.source === 'orders'));
  assert.deepEqual(Object.keys(got[0]!).slice(6, 8), ['region', 'replay-name']);
  // Replayed events are not archived again.
  assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders' }))).EventCount, 2);
  const listed = await eb.send(new ListReplaysCommand({ EventSourceArn: created.ArchiveArn }));
  assert.deepEqual(listed.Replays!.map((r) => [r.ReplayName, r.State]), [['again', 'COMPLETED']]);
});

test('the AWS CLI v1 creates and lists archives and describes replays', async () => {
  await cli('create-event-bus', '--name', 'cli-bus');
  const created = await cli('create-archive', '--archive-name', 'cli-archive', '--event-source-arn', `${P}:event-bus/cli-bus`, '--retention-days', '3');
  assert.equal(created.ArchiveArn, `${P}:archive/cli-archive`);
  const listed = await cli('list-archives', '--name-prefix', 'cli-');
  assert.deepEqual((listed.Archives as Record<string, unknown>[]).map((a) => [a.ArchiveName, a.EventSourceArn, a.RetentionDays, a.EventCount, a.State]),
    [['cli-archive', `${P}:event-bus/cli-bus`, 3, 0, 'ENABLED']]);
  await cli('start-replay', '--replay-name', 'cli-replay', '--event-source-arn', `${P}:archive/cli-archive`,
    '--event-start-time', '2026-01-01T00:00:00Z', '--event-end-time', '2026-01-02T00:00:00Z', '--destination', `Arn=${P}:event-bus/cli-bus`);
  const replay = await until('the CLI replay to complete', async () => {
    const r = await cli('describe-replay', '--replay-name', 'cli-replay');
    return r.State === 'COMPLETED' ? r : undefined;
  }, 15_000);
  assert.equal(replay.ReplayArn, `${P}:replay/cli-replay`);
  assert.equal(replay.EventSourceArn, `${P}:archive/cli-archive`);
  assert.equal(replay.EventLastReplayedTime, undefined);
  const err = await run('aws', ['events', 'describe-replay', '--replay-name', 'nope', '--endpoint-url', server.url], { env: awsEnv() }).catch((e: { stderr: string }) => e);
  assert.match((err as { stderr: string }).stderr, /ResourceNotFoundException.*Replay nope does not exist\./);
});

test('archives and replays answer AWS errors and stay within their account', async () => {
  const busArn = `${P}:event-bus/errs`;
  await eb.send(new CreateEventBusCommand({ Name: 'errs' }));
  await eb.send(new CreateArchiveCommand({ ArchiveName: 'errs', EventSourceArn: busArn }));
  assert.deepEqual(await failure(eb.send(new CreateArchiveCommand({ ArchiveName: 'errs', EventSourceArn: busArn }))),
    { name: 'ResourceAlreadyExistsException', message: 'Archive errs already exists.' });
  assert.deepEqual(await failure(eb.send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: `${P}:event-bus/nope` }))),
    { name: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' });
  assert.equal((await failure(eb.send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: busArn, EventPattern: '{"source":"not-a-list"}' })))).name,
    'InvalidEventPatternException');
  assert.deepEqual(await failure(eb.send(new UpdateArchiveCommand({ ArchiveName: 'errs' }))),
    { name: 'ValidationException', message: 'At least one of EventPattern, RetentionDays or Description must be provided.' });
  assert.deepEqual(await failure(eb.send(new DescribeArchiveCommand({ ArchiveName: 'nope' }))),
    { name: 'ResourceNotFoundException', message: 'Archive nope does not exist.' });
  const replay = (name: string, extra: Partial<{ EventSourceArn: string; Arn: string; start: Date; end: Date }> = {}) => new StartReplayCommand({
    ReplayName: name, EventSourceArn: extra.EventSourceArn ?? `${P}:archive/errs`, EventStartTime: extra.start ?? new Date(Date.now() - 60_000),
    EventEndTime: extra.end ?? new Date(), Destination: { Arn: extra.Arn ?? busArn },
  });
  const now = new Date();
  assert.deepEqual(await failure(eb.send(replay('r', { start: now, end: now }))),
    { name: 'ValidationException', message: 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.' });
  assert.deepEqual(await failure(eb.send(replay('r', { EventSourceArn: `${P}:archive/nope` }))),
    { name: 'ValidationException', message: 'Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.' });
  assert.deepEqual(await failure(eb.send(replay('r', { Arn: `${P}:event-bus/default` }))),
    { name: 'ValidationException', message: 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.' });
  await eb.send(replay('r'));
  assert.deepEqual(await failure(eb.send(replay('r'))), { name: 'ResourceAlreadyExistsException', message: 'Replay r already exists.' });
  await until('the replay to end', async () => ((await eb.send(new DescribeReplayCommand({ ReplayName: 'r' }))).State === 'COMPLETED' ? true : undefined), 15_000);
  assert.equal((await failure(eb.send(new CancelReplayCommand({ ReplayName: 'r' })))).name, 'IllegalStatusException');
  // Another account sees none of it, even by ARN.
  assert.deepEqual((await other.send(new ListArchivesCommand({}))).Archives, []);
  assert.deepEqual(await failure(other.send(new DescribeArchiveCommand({ ArchiveName: 'errs' }))),
    { name: 'ResourceNotFoundException', message: 'Archive errs does not exist.' });
  assert.deepEqual(await failure(other.send(replay('theirs'))),
    { name: 'ValidationException', message: 'Parameter EventSourceArn is not valid. Reason: Archive errs does not exist.' });
  assert.deepEqual(await failure(other.send(new DescribeReplayCommand({ ReplayName: 'r' }))),
    { name: 'ResourceNotFoundException', message: 'Replay r does not exist.' });
  await eb.send(new DeleteArchiveCommand({ ArchiveName: 'errs' }));
  assert.deepEqual(await failure(eb.send(new DeleteArchiveCommand({ ArchiveName: 'errs' }))),
    { name: 'ResourceNotFoundException', message: 'Archive errs does not exist.' });
});

test('a replay interrupted by a restart resumes and completes: every archived event reaches the target', async () => {
  const busArn = (await eb.send(new CreateEventBusCommand({ Name: 'restart' }))).EventBusArn!;
  const { ArchiveArn } = await eb.send(new CreateArchiveCommand({ ArchiveName: 'restart', EventSourceArn: busArn }));
  const start = new Date(Date.now() - 60_000);
  const N = 300;
  for (let i = 0; i < N; i += 10) {
    const Entries = Array.from({ length: 10 }, (_, j) => ({ EventBusName: 'restart', Source: 'load', DetailType: 'N', Detail: JSON.stringify({ n: i + j }) }));
    assert.equal((await eb.send(new PutEventsCommand({ Entries }))).FailedEntryCount, 0);
  }
  assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'restart' }))).EventCount, N);
  await eb.send(new PutRuleCommand({ Name: 'load', EventBusName: 'restart', EventPattern: JSON.stringify({ source: ['load'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'load', EventBusName: 'restart', Targets: [{ Id: 'fn', Arn: RESTART_FN }] }));
  await eb.send(new StartReplayCommand({
    ReplayName: 'restart', EventSourceArn: ArchiveArn, EventStartTime: start, EventEndTime: new Date(Date.now() + 60_000), Destination: { Arn: busArn },
  }));
  const dataDir = server.dataDir;
  await server.stop();
  await boot(dataDir);
  const done = await until('the replay to complete after the restart', async () => {
    const r = await eb.send(new DescribeReplayCommand({ ReplayName: 'restart' }));
    return r.State === 'COMPLETED' ? r : undefined;
  }, 20_000);
  assert.ok(done.ReplayEndTime);
  const seen = await until('every replayed event at the target', () => {
    const ns = new Set(bodies('/restart').map((e) => (e.detail as { n: number }).n));
    return ns.size === N ? ns : undefined;
  }, 20_000);
  assert.equal(seen.size, N);
  assert.ok(bodies('/restart').every((e) => e['replay-name'] === 'restart'));
});
