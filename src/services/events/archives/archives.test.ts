import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceError } from '../../../protocol/errors.ts';
import { createArchive, deleteArchive, describeArchive, listArchives, updateArchive } from './archives.ts';
import { ctxFor, OTHER_ACCOUNT, setup, T0 } from './test-support.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';

for (const engine of await metaEngines()) describe(`archives: archives on ${engine.name}`, () => {

  const BUS_ARN = 'arn:aws:events:us-east-1:000000000000:event-bus/orders';
  const DEFAULT_ARN = 'arn:aws:events:us-east-1:000000000000:event-bus/default';

  async function rejects(p: Promise<unknown>, code: string, message: string) {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, code);
      assert.equal(e.message, message);
      return true;
    });
  }

  async function withBus() {
    const env = await setup(engine);
    await env.events.createBus(env.ctx, { name: 'orders', createdAt: T0, modifiedAt: T0, tags: {} });
    return env;
  }

  test('CreateArchive answers the ARN, ENABLED and the creation time; DescribeArchive shows what was given', async () => {
    const { deps, ctx } = await withBus();
    const out = await createArchive(deps, ctx, {
      ArchiveName: 'a', EventSourceArn: BUS_ARN, Description: 'd', EventPattern: '{"source":["shop"]}', RetentionDays: 1,
    });
    assert.deepEqual(out, { ArchiveArn: 'arn:aws:events:us-east-1:000000000000:archive/a', State: 'ENABLED', CreationTime: new Date(T0) });
    const d = await describeArchive(deps, ctx, { ArchiveName: 'a' });
    assert.deepEqual(d, {
      ArchiveArn: 'arn:aws:events:us-east-1:000000000000:archive/a', ArchiveName: 'a', EventSourceArn: BUS_ARN, Description: 'd',
      EventPattern: '{"source":["shop"]}', State: 'ENABLED', StateReason: undefined, KmsKeyIdentifier: undefined, RetentionDays: 1,
      SizeBytes: 0, EventCount: 0, CreationTime: new Date(T0),
    });
  });

  test('CreateArchive on the default bus works before the bus was ever used', async () => {
    const { deps, ctx } = await setup(engine);
    await createArchive(deps, ctx, { ArchiveName: 'a', EventSourceArn: DEFAULT_ARN });
    assert.equal((await describeArchive(deps, ctx, { ArchiveName: 'a' })).EventSourceArn, DEFAULT_ARN);
  });

  test('CreateArchive answers AWS errors: duplicate, unknown bus, another account\'s bus, bad pattern', async () => {
    const { deps, ctx } = await withBus();
    await createArchive(deps, ctx, { ArchiveName: 'a', EventSourceArn: BUS_ARN });
    await rejects(createArchive(deps, ctx, { ArchiveName: 'a', EventSourceArn: BUS_ARN }), 'ResourceAlreadyExistsException', 'Archive a already exists.');
    await rejects(createArchive(deps, ctx, { ArchiveName: 'b', EventSourceArn: `${BUS_ARN}-nope` }), 'ResourceNotFoundException', 'Event bus orders-nope does not exist.');
    await rejects(createArchive(deps, ctx, { ArchiveName: 'b', EventSourceArn: BUS_ARN.replace('000000000000', OTHER_ACCOUNT) }),
      'ResourceNotFoundException', 'Event bus orders does not exist.');
    await assert.rejects(createArchive(deps, ctx, { ArchiveName: 'b', EventSourceArn: BUS_ARN, EventPattern: '[1]' }), { name: 'InvalidEventPatternException' });
    assert.equal((await listArchives(deps, ctx, {})).Archives!.length, 1);
  });

  test('another account cannot see, update or delete an archive', async () => {
    const { deps, ctx, clock } = await withBus();
    await createArchive(deps, ctx, { ArchiveName: 'a', EventSourceArn: BUS_ARN });
    const other = ctxFor(clock, OTHER_ACCOUNT);
    await rejects(describeArchive(deps, other, { ArchiveName: 'a' }), 'ResourceNotFoundException', 'Archive a does not exist.');
    await rejects(updateArchive(deps, other, { ArchiveName: 'a', Description: 'x' }), 'ResourceNotFoundException', 'Archive a does not exist.');
    await rejects(deleteArchive(deps, other, { ArchiveName: 'a' }), 'ResourceNotFoundException', 'Archive a does not exist.');
    assert.deepEqual((await listArchives(deps, other, {})).Archives, []);
  });

  test('UpdateArchive needs one of EventPattern, RetentionDays or Description, checked before the archive is looked up', async () => {
    const { deps, ctx } = await withBus();
    await rejects(updateArchive(deps, ctx, { ArchiveName: 'nope' }), 'ValidationException', 'At least one of EventPattern, RetentionDays or Description must be provided.');
    await rejects(updateArchive(deps, ctx, { ArchiveName: 'nope', RetentionDays: 3 }), 'ResourceNotFoundException', 'Archive nope does not exist.');
    await createArchive(deps, ctx, { ArchiveName: 'a', EventSourceArn: BUS_ARN, Description: 'd', RetentionDays: 1 });
    const out = await updateArchive(deps, ctx, { ArchiveName: 'a', RetentionDays: 0, EventPattern: '{"source":["x"]}' });
    assert.deepEqual(out, { ArchiveArn: 'arn:aws:events:us-east-1:000000000000:archive/a', State: 'ENABLED', StateReason: undefined, CreationTime: new Date(T0) });
    const d = await describeArchive(deps, ctx, { ArchiveName: 'a' });
    assert.equal(d.RetentionDays, 0);
    assert.equal(d.Description, 'd');
    assert.equal(d.EventPattern, '{"source":["x"]}');
  });

  test('DeleteArchive removes it; deleting again is ResourceNotFoundException', async () => {
    const { deps, ctx } = await withBus();
    await createArchive(deps, ctx, { ArchiveName: 'a', EventSourceArn: BUS_ARN });
    assert.deepEqual(await deleteArchive(deps, ctx, { ArchiveName: 'a' }), {});
    await rejects(deleteArchive(deps, ctx, { ArchiveName: 'a' }), 'ResourceNotFoundException', 'Archive a does not exist.');
  });

  test('ListArchives filters by NamePrefix, EventSourceArn and State, pages with NextToken, and refuses an unknown bus', async () => {
    const { deps, ctx } = await withBus();
    for (const n of ['a-1', 'a-2', 'a-3']) await createArchive(deps, ctx, { ArchiveName: n, EventSourceArn: BUS_ARN, RetentionDays: 1 });
    await createArchive(deps, ctx, { ArchiveName: 'b', EventSourceArn: DEFAULT_ARN });
    const page1 = await listArchives(deps, ctx, { NamePrefix: 'a-', Limit: 2 });
    assert.deepEqual(page1.Archives!.map((a) => a.ArchiveName), ['a-1', 'a-2']);
    assert.deepEqual(page1.Archives![0], {
      ArchiveName: 'a-1', EventSourceArn: BUS_ARN, State: 'ENABLED', StateReason: undefined, RetentionDays: 1, SizeBytes: 0, EventCount: 0, CreationTime: new Date(T0),
    });
    const page2 = await listArchives(deps, ctx, { NamePrefix: 'a-', Limit: 2, NextToken: page1.NextToken });
    assert.deepEqual(page2.Archives!.map((a) => a.ArchiveName), ['a-3']);
    assert.equal(page2.NextToken, undefined);
    assert.deepEqual((await listArchives(deps, ctx, { EventSourceArn: DEFAULT_ARN })).Archives!.map((a) => a.ArchiveName), ['b']);
    assert.equal((await listArchives(deps, ctx, { State: 'ENABLED' })).Archives!.length, 4);
    assert.deepEqual((await listArchives(deps, ctx, { NamePrefix: 'doesnotexist' })).Archives, []);
    await rejects(listArchives(deps, ctx, { EventSourceArn: `${BUS_ARN}-gone` }), 'ResourceNotFoundException', 'Event bus orders-gone does not exist.');
  });
});
