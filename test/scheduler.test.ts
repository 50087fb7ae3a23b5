/**
 * EventBridge Scheduler against the real server with SDK v3, AWS CLI v1 and Debian's boto3 1.26:
 * groups, schedules, tags, errors, ClientToken retries, and schedules that fire — an at() in
 * Europe/Paris reaching a Lambda function URL (a local receiver) with its context attributes, then
 * deleted after completion; an event bus target whose rule forwards the event to another function.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateScheduleCommand, CreateScheduleGroupCommand, DeleteScheduleCommand, DeleteScheduleGroupCommand, GetScheduleCommand,
  GetScheduleGroupCommand, ListScheduleGroupsCommand, ListSchedulesCommand, ListTagsForResourceCommand, SchedulerClient,
  TagResourceCommand, UntagResourceCommand, UpdateScheduleCommand, type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';
import { failure } from './helpers/failure.ts';

const run = promisify(execFile);
const ACCOUNT = '000000000000';
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:on-schedule`;
const BUS_FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:on-bus-event`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/scheduler`;

let server: TestServer;
let rx: Receiver;
let client: SchedulerClient;

before(async () => {
  rx = await startReceiver();
  server = await startTestServer({
    modules: ['scheduler', 'events', 'sns', 'logs'],
    env: {
      OSPREY_DELIVERY_POLL_MS: '100',
      OSPREY_LAMBDA_URLS: JSON.stringify({ [FN]: `${rx.url}/schedule`, [BUS_FN]: `${rx.url}/bus` }),
    },
  });
  client = new SchedulerClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await rx?.close();
});

const schedule = (over: Partial<CreateScheduleCommandInput>): CreateScheduleCommandInput => ({
  Name: 'nightly', ScheduleExpression: 'cron(0 2 * * ? *)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: FN, RoleArn: ROLE }, ...over,
});

/** `yyyy-mm-ddThh:mm:ss` of an instant, in a time zone: what at() takes. */
const localText = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(new Date(ms)).replace(' ', 'T');

test('the default group always exists; groups are created, tagged, listed and deleted with their schedules', async () => {
  const def = await client.send(new GetScheduleGroupCommand({ Name: 'default' }));
  assert.equal(def.Arn, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/default`);
  assert.equal(def.State, 'ACTIVE');
  const { ScheduleGroupArn } = await client.send(new CreateScheduleGroupCommand({ Name: 'billing', Tags: [{ Key: 'team', Value: 'pay' }] }));
  assert.equal(ScheduleGroupArn, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/billing`);
  assert.deepEqual(await failure(client.send(new CreateScheduleGroupCommand({ Name: 'billing' }))), { name: 'ConflictException', message: 'Schedule group billing already exists.', status: 409 });
  await client.send(new TagResourceCommand({ ResourceArn: ScheduleGroupArn, Tags: [{ Key: 'env', Value: 'prod' }] }));
  await client.send(new UntagResourceCommand({ ResourceArn: ScheduleGroupArn, TagKeys: ['team'] }));
  assert.deepEqual((await client.send(new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }))).Tags, [{ Key: 'env', Value: 'prod' }]);
  const groups = await client.send(new ListScheduleGroupsCommand({}));
  assert.deepEqual(groups.ScheduleGroups!.map((g) => g.Name), ['billing', 'default']);
  assert.deepEqual((await client.send(new ListScheduleGroupsCommand({ NamePrefix: 'bil' }))).ScheduleGroups!.map((g) => g.Name), ['billing']);

  await client.send(new CreateScheduleCommand(schedule({ Name: 'invoice', GroupName: 'billing' })));
  await client.send(new DeleteScheduleGroupCommand({ Name: 'billing' }));
  assert.deepEqual(await failure(client.send(new GetScheduleGroupCommand({ Name: 'billing' }))), { name: 'ResourceNotFoundException', message: 'Schedule group billing does not exist.', status: 404 });
  assert.equal((await failure(client.send(new GetScheduleCommand({ Name: 'invoice', GroupName: 'billing' })))).name, 'ResourceNotFoundException');
  assert.equal((await failure(client.send(new DeleteScheduleGroupCommand({ Name: 'default' })))).name, 'ValidationException');
  assert.equal((await failure(client.send(new CreateScheduleCommand(schedule({ Name: 'x', GroupName: 'nope' }))))).message, 'Schedule group nope does not exist.');
});

test('schedules are created, read, replaced by updates, listed and deleted, with AWS errors', async () => {
  const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
  const created = await client.send(new CreateScheduleCommand(schedule({
    Name: 'report', ScheduleExpression: 'cron(0 9 ? * MON-FRI *)', ScheduleExpressionTimezone: 'America/New_York', StartDate: start,
    Description: 'weekday report', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    Target: { Arn: FN, RoleArn: ROLE, Input: '{"report":"daily"}', RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 } },
  })));
  assert.equal(created.ScheduleArn, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/report`);
  const got = await client.send(new GetScheduleCommand({ Name: 'report' }));
  assert.equal(got.GroupName, 'default');
  assert.equal(got.ScheduleExpressionTimezone, 'America/New_York');
  assert.equal(got.State, 'ENABLED');
  assert.equal(got.ActionAfterCompletion, 'NONE');
  assert.equal(got.StartDate?.getTime(), start.getTime());
  assert.deepEqual(got.FlexibleTimeWindow, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 });
  assert.deepEqual(got.Target?.RetryPolicy, { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 });
  assert.ok(got.CreationDate instanceof Date && got.LastModificationDate instanceof Date);

  assert.deepEqual(await failure(client.send(new CreateScheduleCommand(schedule({ Name: 'report' })))), { name: 'ConflictException', message: 'Schedule report already exists.', status: 409 });
  assert.deepEqual(await failure(client.send(new GetScheduleCommand({ Name: 'missing' }))), { name: 'ResourceNotFoundException', message: 'Schedule missing does not exist.', status: 404 });
  assert.deepEqual(await failure(client.send(new CreateScheduleCommand(schedule({ Name: 'bad', ScheduleExpression: 'rate(10 seconds)' })))),
    { name: 'ValidationException', message: 'Invalid Schedule Expression rate(10 seconds).', status: 400 });
  assert.equal((await failure(client.send(new CreateScheduleCommand(schedule({ Name: 'bad', ScheduleExpressionTimezone: 'Mars/Olympus' }))))).name, 'ValidationException');
  assert.equal((await failure(client.send(new CreateScheduleCommand(schedule({ Name: 'bad', Target: { Arn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:sm`, RoleArn: ROLE } }))))).name, 'ValidationException');

  // UpdateSchedule replaces the definition: what it leaves out returns to the defaults.
  await client.send(new UpdateScheduleCommand(schedule({ Name: 'report', ScheduleExpression: 'rate(2 hours)', State: 'DISABLED' })));
  const updated = await client.send(new GetScheduleCommand({ Name: 'report' }));
  assert.equal(updated.ScheduleExpression, 'rate(2 hours)');
  assert.equal(updated.State, 'DISABLED');
  assert.equal(updated.Description, undefined);
  assert.equal(updated.CreationDate?.getTime(), got.CreationDate?.getTime());
  assert.equal((await failure(client.send(new UpdateScheduleCommand(schedule({ Name: 'missing' }))))).message, 'Schedule missing does not exist.');

  for (const name of ['report-b', 'report-c', 'other']) await client.send(new CreateScheduleCommand(schedule({ Name: name })));
  const page1 = await client.send(new ListSchedulesCommand({ NamePrefix: 'report', MaxResults: 2 }));
  assert.deepEqual(page1.Schedules!.map((s) => s.Name), ['report', 'report-b']);
  assert.deepEqual(page1.Schedules![0]!.Target, { Arn: FN });
  const page2 = await client.send(new ListSchedulesCommand({ NamePrefix: 'report', MaxResults: 2, NextToken: page1.NextToken }));
  assert.deepEqual(page2.Schedules!.map((s) => s.Name), ['report-c']);
  assert.equal(page2.NextToken, undefined);
  assert.deepEqual((await client.send(new ListSchedulesCommand({ State: 'DISABLED' }))).Schedules!.map((s) => s.Name), ['report']);

  for (const name of ['report', 'report-b', 'report-c', 'other']) await client.send(new DeleteScheduleCommand({ Name: name }));
  assert.equal((await failure(client.send(new DeleteScheduleCommand({ Name: 'report' })))).name, 'ResourceNotFoundException');
});

test('a retried CreateSchedule or DeleteSchedule with the same ClientToken answers as the first one did', async () => {
  const first = await client.send(new CreateScheduleCommand(schedule({ Name: 'retried', ClientToken: 'token-1' })));
  const again = await client.send(new CreateScheduleCommand(schedule({ Name: 'retried', ClientToken: 'token-1' })));
  assert.equal(again.ScheduleArn, first.ScheduleArn);
  assert.equal((await failure(client.send(new CreateScheduleCommand(schedule({ Name: 'retried', ClientToken: 'token-2' }))))).name, 'ConflictException');
  await client.send(new DeleteScheduleCommand({ Name: 'retried', ClientToken: 'token-3' }));
  await client.send(new DeleteScheduleCommand({ Name: 'retried', ClientToken: 'token-3' }));
});

test('an at() schedule in Europe/Paris fires once at its time with context attributes, then is deleted', async () => {
  const fireAt = Math.ceil(Date.now() / 1000) * 1000 + 4000;
  const { ScheduleArn } = await client.send(new CreateScheduleCommand(schedule({
    Name: 'once', ScheduleExpression: `at(${localText(fireAt, 'Europe/Paris')})`, ScheduleExpressionTimezone: 'Europe/Paris', ActionAfterCompletion: 'DELETE',
    Target: { Arn: FN, RoleArn: ROLE, Input: '{"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","id":"<aws.scheduler.execution-id>","attempt":<aws.scheduler.attempt-number>}' },
  })));
  const got = await until('the target to be invoked', () => rx.received.find((r) => r.path === '/schedule'), 10_000);
  const lateness = got.at - fireAt;
  console.log(`# at() lateness: ${lateness} ms`);
  assert.ok(lateness >= 0 && lateness < 1000, `fired ${lateness} ms after its time`);
  const body = JSON.parse(got.body) as Record<string, unknown>;
  assert.equal(body.arn, ScheduleArn);
  assert.equal(body.at, new Date(fireAt).toISOString().replace('.000Z', 'Z'));
  assert.match(String(body.id), /^[0-9a-z]{16}$/);
  assert.equal(body.attempt, 1);
  // Deleted once its last invocation completed — after the target answered, so shortly after it
  // received the call (longer on PostgreSQL): until then GetSchedule still finds it.
  await until('the schedule to be deleted', () => client.send(new GetScheduleCommand({ Name: 'once' })).then(
    () => undefined,
    (e: Error) => (e.name === 'ResourceNotFoundException' ? true : Promise.reject(e)),
  ), 10_000);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(rx.received.filter((r) => r.path === '/schedule').length, 1);
});

test('a schedule targeting an event bus puts an event with EventBridgeParameters and Input as detail', async () => {
  const eb = new EventBridgeClient(sdkConfig(server.url));
  await eb.send(new PutRuleCommand({ Name: 'from-scheduler', EventPattern: JSON.stringify({ source: ['my.scheduler'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'from-scheduler', Targets: [{ Id: 'fn', Arn: BUS_FN }] }));
  const fireAt = Math.ceil(Date.now() / 1000) * 1000 + 2000;
  const { ScheduleArn } = await client.send(new CreateScheduleCommand(schedule({
    Name: 'to-bus', ScheduleExpression: `at(${localText(fireAt, 'UTC')})`,
    Target: { Arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`, RoleArn: ROLE, Input: '{"job":"sync"}', EventBridgeParameters: { Source: 'my.scheduler', DetailType: 'Sync due' } },
  })));
  const got = await until('the bus rule target to be invoked', () => rx.received.find((r) => r.path === '/bus'), 10_000);
  const event = JSON.parse(got.body) as Record<string, unknown>;
  assert.equal(event.source, 'my.scheduler');
  assert.equal(event['detail-type'], 'Sync due');
  assert.deepEqual(event.detail, { job: 'sync' });
  assert.deepEqual(event.resources, [ScheduleArn]);
});

test('AWS CLI v1 and boto3 1.26 create, read and list schedules', async () => {
  const cli = async (...args: string[]) => JSON.parse((await run('aws', ['scheduler', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() })).stdout || '{}') as Record<string, unknown>;
  const made = await cli('create-schedule', '--name', 'from-cli', '--schedule-expression', 'rate(5 minutes)', '--flexible-time-window', 'Mode=OFF',
    '--target', JSON.stringify({ Arn: FN, RoleArn: ROLE, Input: '{"from":"cli"}' }));
  assert.equal(made.ScheduleArn, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/from-cli`);
  const got = await cli('get-schedule', '--name', 'from-cli');
  assert.equal(got.ScheduleExpression, 'rate(5 minutes)');
  assert.deepEqual((got.Target as Record<string, unknown>).Input, '{"from":"cli"}');
  const listed = await cli('list-schedules', '--name-prefix', 'from-');
  assert.deepEqual((listed.Schedules as { Name: string }[]).map((s) => s.Name), ['from-cli']);

  const script = [
    'import boto3, json',
    `c = boto3.client('scheduler', endpoint_url=${JSON.stringify(server.url)}, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')`,
    `c.create_schedule(Name='from-boto3', ScheduleExpression='cron(15 10 * * ? *)', ScheduleExpressionTimezone='Asia/Tokyo', FlexibleTimeWindow={'Mode': 'OFF'}, Target={'Arn': '${FN}', 'RoleArn': '${ROLE}'})`,
    "g = c.get_schedule(Name='from-boto3')",
    "l = c.list_schedules(NamePrefix='from-')",
    "print(json.dumps({'tz': g['ScheduleExpressionTimezone'], 'created': g['CreationDate'].isoformat(), 'names': [s['Name'] for s in l['Schedules']]}))",
  ].join('\n');
  const out = JSON.parse((await run('/usr/bin/python3', ['-c', script], { env: awsEnv() })).stdout) as { tz: string; created: string; names: string[] };
  assert.equal(out.tz, 'Asia/Tokyo');
  assert.ok(Math.abs(Date.parse(out.created) - Date.now()) < 60_000);
  assert.deepEqual(out.names, ['from-boto3', 'from-cli']);
});
