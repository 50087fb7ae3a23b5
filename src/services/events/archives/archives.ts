/** Archives: Create/Describe/Update/Delete/ListArchives. */
import type { Archive as SdkArchive } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { busArn, busNotFound, DEFAULT_BUS, validation } from '../names.ts';
import { afterToken, pageOf } from '../paging.ts';
import type { In, Out } from '../types.ts';
import type { Archive } from './archive-repo.ts';
import { archiveArn, archiveNotFound, ownBusFromArn } from './arns.ts';
import { ARCHIVE_LIMITS, type ArchiveHandlerDeps } from './deps.ts';

/** The bus an EventSourceArn names; it must exist (the default bus always does). */
async function sourceBus(deps: ArchiveHandlerDeps, ctx: Ctx, value: string): Promise<string> {
  const bus = ownBusFromArn(ctx, value);
  if (bus === DEFAULT_BUS) await deps.events.ensureDefaultBus(ctx, deps.clock.now());
  if (!(await deps.events.getBus(ctx, bus))) throw busNotFound(bus);
  return bus;
}

async function loadArchive(deps: ArchiveHandlerDeps, ctx: Ctx, name: string): Promise<Archive> {
  const a = await deps.archives.get(ctx, name);
  if (!a) throw archiveNotFound(name);
  return a;
}

export async function createArchive(deps: ArchiveHandlerDeps, ctx: Ctx, input: In<'CreateArchive'>): Promise<Out<'CreateArchive'>> {
  const name = input.ArchiveName!;
  const bus = await sourceBus(deps, ctx, input.EventSourceArn!);
  if (input.EventPattern !== undefined) deps.checkPattern(input.EventPattern);
  const created = await deps.archives.create(ctx, {
    name, bus, description: input.Description, eventPattern: input.EventPattern, retentionDays: input.RetentionDays,
    kmsKeyId: input.KmsKeyIdentifier, state: 'ENABLED', createdAt: deps.clock.now(),
  });
  if (!created) throw new ServiceError('ResourceAlreadyExistsException', `Archive ${name} already exists.`);
  return { ArchiveArn: archiveArn(ctx, name), State: 'ENABLED', CreationTime: new Date(created.createdAt) };
}

export async function describeArchive(deps: ArchiveHandlerDeps, ctx: Ctx, input: In<'DescribeArchive'>): Promise<Out<'DescribeArchive'>> {
  const a = await loadArchive(deps, ctx, input.ArchiveName!);
  return {
    ArchiveArn: archiveArn(ctx, a.name), ArchiveName: a.name, EventSourceArn: busArn(ctx, a.bus), Description: a.description,
    EventPattern: a.eventPattern, State: a.state as SdkArchive['State'], StateReason: a.stateReason, KmsKeyIdentifier: a.kmsKeyId,
    RetentionDays: a.retentionDays, SizeBytes: a.sizeBytes, EventCount: a.eventCount, CreationTime: new Date(a.createdAt),
  };
}

export async function updateArchive(deps: ArchiveHandlerDeps, ctx: Ctx, input: In<'UpdateArchive'>): Promise<Out<'UpdateArchive'>> {
  // AWS checks this before looking the archive up (recorded against an archive that does not exist).
  if (input.EventPattern === undefined && input.RetentionDays === undefined && input.Description === undefined) {
    throw validation('At least one of EventPattern, RetentionDays or Description must be provided.');
  }
  const name = input.ArchiveName!;
  await loadArchive(deps, ctx, name);
  if (input.EventPattern !== undefined) deps.checkPattern(input.EventPattern);
  const a = await deps.archives.update(ctx, name, {
    description: input.Description, eventPattern: input.EventPattern, retentionDays: input.RetentionDays, kmsKeyId: input.KmsKeyIdentifier,
  });
  if (!a) throw archiveNotFound(name);
  return { ArchiveArn: archiveArn(ctx, name), State: a.state as SdkArchive['State'], StateReason: a.stateReason, CreationTime: new Date(a.createdAt) };
}

export async function deleteArchive(deps: ArchiveHandlerDeps, ctx: Ctx, input: In<'DeleteArchive'>): Promise<Out<'DeleteArchive'>> {
  if (!(await deps.archives.delete(ctx, input.ArchiveName!))) throw archiveNotFound(input.ArchiveName!);
  return {};
}

export async function listArchives(deps: ArchiveHandlerDeps, ctx: Ctx, input: In<'ListArchives'>): Promise<Out<'ListArchives'>> {
  const bus = input.EventSourceArn !== undefined ? await sourceBus(deps, ctx, input.EventSourceArn) : undefined;
  const limit = input.Limit ?? ARCHIVE_LIMITS.listPage;
  const rows = await deps.archives.list(ctx, { prefix: input.NamePrefix, bus, state: input.State, after: afterToken(input.NextToken), limit: limit + 1 });
  const { items, token } = pageOf(rows, limit, (a) => a.name);
  const Archives: SdkArchive[] = items.map((a) => ({
    ArchiveName: a.name, EventSourceArn: busArn(ctx, a.bus), State: a.state as SdkArchive['State'], StateReason: a.stateReason,
    RetentionDays: a.retentionDays, SizeBytes: a.sizeBytes, EventCount: a.eventCount, CreationTime: new Date(a.createdAt),
  }));
  return { Archives, NextToken: token };
}
