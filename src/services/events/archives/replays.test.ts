import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../../protocol/errors.ts';
import { createArchive, deleteArchive } from './archives.ts';
import { cancelReplay, describeReplay, listReplays, startReplay } from './replays.ts';
import { ctxFor, OTHER_ACCOUNT, setup, T0 } from './test-support.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';

for (const engine of await metaEngines()) describe(`archives: replays on ${engine.name}`, () => {

  const P = 'arn:aws:events:us-east-1:000000000000';
  const BUS_ARN = `${P}:event-bus/orders`;
  const ARCHIVE_ARN = `${P}:archive/arch`;

  async function rejects(p: Promise<unknown>, code: string, message: string) {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, code);
      assert.equal(e.message, message);
      return true;
    });
  }

  async function withArchive() {
    const env = await setup(engine);
    for (const name of ['orders', 'other']) await env.events.createBus(env.ctx, { name, createdAt: T0, modifiedAt: T0, tags: {} });
    await createArchive(env.deps, env.ctx, { ArchiveName: 'arch', EventSourceArn: BUS_ARN });
    return env;
  }

  const replay = (name: string, extra: Record<string, unknown> = {}) => ({
    ReplayName: name, EventSourceArn: ARCHIVE_ARN, EventStartTime: new Date(T0 - 60_000), EventEndTime: new Date(T0), Destination: { Arn: BUS_ARN }, ...extra,
  });

  test('StartReplay answers STARTING and wakes the runner; DescribeReplay and ListReplays show it', async () => {
    const { deps, ctx, kicks } = await withArchive();
    const rule = `${P}:rule/orders/r1`;
    const out = await startReplay(deps, ctx, replay('r', { Description: 'again', Destination: { Arn: BUS_ARN, FilterArns: [rule] } }));
    assert.deepEqual(out, { ReplayArn: `${P}:replay/r`, State: 'STARTING', ReplayStartTime: new Date(T0) });
    assert.equal(kicks(), 1);
    assert.deepEqual(await describeReplay(deps, ctx, { ReplayName: 'r' }), {
      ReplayName: 'r', ReplayArn: `${P}:replay/r`, Description: 'again', State: 'STARTING', StateReason: undefined, EventSourceArn: ARCHIVE_ARN,
      Destination: { Arn: BUS_ARN, FilterArns: [rule] }, EventStartTime: new Date(T0 - 60_000), EventEndTime: new Date(T0),
      EventLastReplayedTime: undefined, ReplayStartTime: new Date(T0), ReplayEndTime: undefined,
    });
    const list = await listReplays(deps, ctx, { EventSourceArn: ARCHIVE_ARN });
    assert.deepEqual(list.Replays!.map((r) => [r.ReplayName, r.State, r.EventSourceArn]), [['r', 'STARTING', ARCHIVE_ARN]]);
  });

  test('StartReplay checks the time range first, then the archive, the destination bus, the filters and the name', async () => {
    const { deps, ctx } = await withArchive();
    await rejects(startReplay(deps, ctx, replay('r', { EventStartTime: new Date(T0), EventEndTime: new Date(T0), EventSourceArn: `${P}:archive/nope` })),
      'ValidationException', 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
    await rejects(startReplay(deps, ctx, replay('r', { EventSourceArn: `${P}:archive/nope` })),
      'ValidationException', 'Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.');
    await rejects(startReplay(deps, ctx, replay('r', { EventSourceArn: ARCHIVE_ARN.replace('000000000000', OTHER_ACCOUNT) })),
      'ValidationException', 'Parameter EventSourceArn is not valid. Reason: Archive arch does not exist.');
    await rejects(startReplay(deps, ctx, replay('r', { Destination: { Arn: `${P}:event-bus/gone` } })), 'ResourceNotFoundException', 'Event bus gone does not exist.');
    await rejects(startReplay(deps, ctx, replay('r', { Destination: { Arn: `${P}:event-bus/other` } })),
      'ValidationException', 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
    await rejects(startReplay(deps, ctx, replay('r', { Destination: { Arn: BUS_ARN, FilterArns: [`${P}:rule/other/r1`] } })),
      'ValidationException', `Parameter Destination.FilterArns is not valid. Reason: ${P}:rule/other/r1 is not a rule of event bus orders.`);
    await startReplay(deps, ctx, replay('r'));
    await rejects(startReplay(deps, ctx, replay('r')), 'ResourceAlreadyExistsException', 'Replay r already exists.');
  });

  test('at most 10 replays may be STARTING or RUNNING per account and Region', async () => {
    const { deps, ctx, clock } = await withArchive();
    for (let i = 0; i < 10; i++) await startReplay(deps, ctx, replay(`r${i}`));
    await rejects(startReplay(deps, ctx, replay('r10')), 'LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    await cancelReplay(deps, ctx, { ReplayName: 'r0' });
    await startReplay(deps, ctx, replay('r10'));
    // Another account has its own quota (and no access to this archive).
    await rejects(startReplay(deps, ctxFor(clock, OTHER_ACCOUNT), replay('x')), 'ValidationException', 'Parameter EventSourceArn is not valid. Reason: Archive arch does not exist.');
  });

  test('CancelReplay moves a STARTING replay to CANCELLING; a finished or unknown one is refused', async () => {
    const { deps, ctx, replays } = await withArchive();
    await startReplay(deps, ctx, replay('r'));
    assert.deepEqual(await cancelReplay(deps, ctx, { ReplayName: 'r' }), { ReplayArn: `${P}:replay/r`, State: 'CANCELLING' });
    assert.equal((await describeReplay(deps, ctx, { ReplayName: 'r' })).State, 'CANCELLING');
    await rejects(cancelReplay(deps, ctx, { ReplayName: 'r' }), 'IllegalStatusException',
      'Replay r is CANCELLING; a replay can be cancelled only when it is STARTING or RUNNING.');
    await startReplay(deps, ctx, replay('done'));
    await replays.finish((await replays.get(ctx, 'done'))!, ['STARTING'], 'COMPLETED', undefined, T0);
    await assert.rejects(cancelReplay(deps, ctx, { ReplayName: 'done' }), { name: 'IllegalStatusException' });
    await rejects(cancelReplay(deps, ctx, { ReplayName: 'nope' }), 'ResourceNotFoundException', 'Replay nope does not exist.');
    await rejects(describeReplay(deps, ctx, { ReplayName: 'nope' }), 'ResourceNotFoundException', 'Replay nope does not exist.');
  });

  test('ListReplays filters by NamePrefix, State and EventSourceArn and pages', async () => {
    const { deps, ctx } = await withArchive();
    for (let i = 0; i < 3; i++) await startReplay(deps, ctx, replay(`p-${i}`));
    await startReplay(deps, ctx, replay('q'));
    await cancelReplay(deps, ctx, { ReplayName: 'q' });
    const page1 = await listReplays(deps, ctx, { NamePrefix: 'p-', Limit: 2 });
    assert.deepEqual(page1.Replays!.map((r) => r.ReplayName), ['p-0', 'p-1']);
    const page2 = await listReplays(deps, ctx, { NamePrefix: 'p-', Limit: 2, NextToken: page1.NextToken });
    assert.deepEqual(page2.Replays!.map((r) => r.ReplayName), ['p-2']);
    assert.deepEqual((await listReplays(deps, ctx, { State: 'CANCELLING' })).Replays!.map((r) => r.ReplayName), ['q']);
    await createArchive(deps, ctx, { ArchiveName: 'arch2', EventSourceArn: BUS_ARN });
    assert.deepEqual((await listReplays(deps, ctx, { EventSourceArn: `${P}:archive/arch2` })).Replays, []);
  });

  test('a replay outlives its archive in the listings (the runner fails it)', async () => {
    const { deps, ctx } = await withArchive();
    await startReplay(deps, ctx, replay('r'));
    await deleteArchive(deps, ctx, { ArchiveName: 'arch' });
    assert.equal((await describeReplay(deps, ctx, { ReplayName: 'r' })).EventSourceArn, ARCHIVE_ARN);
  });
});
