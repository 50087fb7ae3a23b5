import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { cancelExportTask, createExportTask, describeExportTasks, type ExportTaskDeps } from './handlers.ts';
import { FakeLogs, MemorySink, memoryTaskRepo } from './test-fakes.ts';

const clock = new ManualClock(1_700_000_000_000);
const ctx = (account = '111111111111', region = 'us-east-1'): Ctx => ({
  account, region, principalArn: `arn:aws:iam::${account}:root`, accessKeyId: 'test', requestId: 'r', clock, log: silentLogger,
});

async function setup() {
  const logs = new FakeLogs();
  logs.addGroup('111111111111', 'us-east-1', '/app');
  logs.addGroup('222222222222', 'us-east-1', '/app');
  const sink = new MemorySink();
  let wakes = 0;
  const deps: ExportTaskDeps = {
    meta: logs,
    tasks: await memoryTaskRepo(),
    destinations: { sink: (b: string) => (b === 'exports' ? sink : undefined) },
    runner: { wake: () => void wakes++ },
  };
  return { deps, sink, wakes: () => wakes };
}

const base = { logGroupName: '/app', from: 1000, to: 2000, destination: 'exports' };

const rejectsWith = (p: Promise<unknown>, code: string, message?: string | RegExp) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });

test('CreateExportTask writes the write-test object, stores a PENDING task and wakes the runner', async () => {
  const { deps, sink, wakes } = await setup();
  const { taskId } = await createExportTask(deps, ctx(), { ...base, taskName: 'nightly' });
  assert.match(taskId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(sink.text('aws-logs-write-test'), 'Permission Check Successful');
  assert.equal(wakes(), 1);
  const { exportTasks } = await describeExportTasks(deps, ctx(), { taskId });
  assert.deepEqual(exportTasks, [{
    taskId,
    taskName: 'nightly',
    logGroupName: '/app',
    from: 1000,
    to: 2000,
    destination: 'exports',
    destinationPrefix: 'exportedlogs',
    status: { code: 'PENDING', message: 'Pending' },
    executionInfo: { creationTime: clock.now(), completionTime: undefined },
  }]);
});

test('with a destinationPrefix the write test goes under it', async () => {
  const { deps, sink } = await setup();
  await createExportTask(deps, ctx(), { ...base, destinationPrefix: 'team/a' });
  assert.deepEqual([...sink.objects.keys()], ['team/a/aws-logs-write-test']);
});

test('validation: from > to, unknown group, unmapped bucket — and nothing is written', async () => {
  const { deps, sink } = await setup();
  await rejectsWith(createExportTask(deps, ctx(), { ...base, from: 2001 }), 'InvalidParameterException', /time range/);
  await createExportTask(deps, ctx('222222222222'), { ...base, from: 5, to: 5 }); // from == to is a valid range
  await rejectsWith(createExportTask(deps, ctx(), { ...base, logGroupName: '/nope' }), 'ResourceNotFoundException', 'The specified log group does not exist.');
  await rejectsWith(createExportTask(deps, ctx(), { ...base, destination: 'not-mapped' }), 'InvalidParameterException',
    /^The given bucket does not exist\. Please make sure the bucket is valid\. Osprey has no destination for bucket "not-mapped": .*export\.buckets.*OSPREY_EXPORT_BUCKETS/);
  await rejectsWith(createExportTask(deps, ctx(), { ...base, destinationPrefix: 'p'.repeat(1025) }), 'InvalidParameterException', /1024 bytes/);
  assert.equal(sink.objects.size, 1); // only the other account's write test
  assert.equal((await describeExportTasks(deps, ctx(), {})).exportTasks!.length, 0);
});

test('one active export task per account: the second gets LimitExceededException until the first ends', async () => {
  const { deps } = await setup();
  const { taskId } = await createExportTask(deps, ctx(), base);
  await rejectsWith(createExportTask(deps, ctx(), base), 'LimitExceededException', 'Resource limit exceeded.');
  await createExportTask(deps, ctx('222222222222'), base); // another account is not limited by it
  await cancelExportTask(deps, ctx(), { taskId });
  await createExportTask(deps, ctx(), base);
});

test('a failing write test rejects the task with InvalidParameterException and stores nothing', async () => {
  const { deps, sink } = await setup();
  sink.failWith = new Error('connect ECONNREFUSED 127.0.0.1:9');
  await rejectsWith(createExportTask(deps, ctx(), base), 'InvalidParameterException', /write test .*ECONNREFUSED/);
  assert.equal((await describeExportTasks(deps, ctx(), {})).exportTasks!.length, 0);
});

test('CancelExportTask: PENDING → CANCELLED; unknown → ResourceNotFound; finished → InvalidOperation', async () => {
  const { deps } = await setup();
  const { taskId } = await createExportTask(deps, ctx(), base);
  clock.advance(5);
  await cancelExportTask(deps, ctx(), { taskId });
  const [t] = (await describeExportTasks(deps, ctx(), { taskId })).exportTasks!;
  assert.deepEqual(t!.status, { code: 'CANCELLED', message: 'Cancelled by user' });
  assert.equal(t!.executionInfo!.completionTime, clock.now());
  await rejectsWith(cancelExportTask(deps, ctx(), { taskId }), 'InvalidOperationException', 'The specified export task has already finished');
  await rejectsWith(cancelExportTask(deps, ctx(), { taskId: 'no-such-task' }), 'ResourceNotFoundException', 'The specified export task does not exist.');
  await rejectsWith(cancelExportTask(deps, ctx('222222222222'), { taskId }), 'ResourceNotFoundException');
});

test('DescribeExportTasks: newest first, statusCode and taskId filters, limit and nextToken', async () => {
  const { deps } = await setup();
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) {
    clock.advance(1);
    const { taskId } = await createExportTask(deps, ctx(), base);
    ids.push(taskId!);
    if (i < 6) await cancelExportTask(deps, ctx(), { taskId });
  }
  const seen: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await describeExportTasks(deps, ctx(), { limit: 3, nextToken });
    seen.push(...page.exportTasks!.map((t) => t.taskId!));
    nextToken = page.nextToken;
    pages++;
  } while (nextToken);
  assert.deepEqual(seen, [...ids].reverse());
  assert.equal(pages, 3);
  assert.deepEqual((await describeExportTasks(deps, ctx(), { statusCode: 'PENDING' })).exportTasks!.map((t) => t.taskId), [ids[6]]);
  assert.equal((await describeExportTasks(deps, ctx(), { statusCode: 'CANCELLED' })).exportTasks!.length, 6);
  assert.deepEqual((await describeExportTasks(deps, ctx(), { taskId: 'unknown' })).exportTasks, []);
  assert.deepEqual((await describeExportTasks(deps, ctx('222222222222'), {})).exportTasks, []);
  await rejectsWith(describeExportTasks(deps, ctx(), { nextToken: 'garbage' }), 'InvalidParameterException', 'The specified nextToken is invalid.');
});
