/** Replays: Start/Describe/List/CancelReplay. The replay runner (replay-runner.ts) does the work. */
import type { Replay as SdkReplay, ReplayState } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { busArn, busNotFound, DEFAULT_BUS, validation } from '../names.ts';
import { afterToken, pageOf } from '../paging.ts';
import type { In, Out } from '../types.ts';
import { archiveArn, archiveNameFromArn, filterRuleName, ownBusFromArn, replayArn, replayNotFound } from './arns.ts';
import { ARCHIVE_LIMITS, type ArchiveHandlerDeps } from './deps.ts';
import type { Replay } from './replay-repo.ts';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** The fields ListReplays and DescribeReplay share. */
function summary(ctx: Ctx, r: Replay): SdkReplay {
  return {
    ReplayName: r.name, EventSourceArn: archiveArn(ctx, r.archiveName), State: r.state as ReplayState, StateReason: r.stateReason,
    EventStartTime: new Date(r.eventStart), EventEndTime: new Date(r.eventEnd), EventLastReplayedTime: date(r.lastReplayed),
    ReplayStartTime: new Date(r.startedAt), ReplayEndTime: date(r.endedAt),
  };
}

/** The destination bus: it must exist, and be the archive's own bus. */
async function destinationBus(deps: ArchiveHandlerDeps, ctx: Ctx, value: string, archiveBus: string): Promise<string> {
  const bus = ownBusFromArn(ctx, value);
  if (bus === DEFAULT_BUS) await deps.events.ensureDefaultBus(ctx, deps.clock.now());
  if (!(await deps.events.getBus(ctx, bus))) throw busNotFound(bus);
  if (bus !== archiveBus) throw validation('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
  return bus;
}

export async function startReplay(deps: ArchiveHandlerDeps, ctx: Ctx, input: In<'StartReplay'>): Promise<Out<'StartReplay'>> {
  const name = input.ReplayName!;
  const start = input.EventStartTime!.getTime();
  const end = input.EventEndTime!.getTime();
  if (!(start < end)) throw validation('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
  const archiveName = archiveNameFromArn(ctx, input.EventSourceArn!);
  const archive = await deps.archives.get(ctx, archiveName);
  if (!archive) throw validation(`Parameter EventSourceArn is not valid. Reason: Archive ${archiveName} does not exist.`);
  const bus = await destinationBus(deps, ctx, input.Destination!.Arn!, archive.bus);
  const filterArns = input.Destination!.FilterArns?.length ? input.Destination!.FilterArns : undefined;
  for (const f of filterArns ?? []) filterRuleName(ctx, bus, f);
  if (await deps.replays.get(ctx, name)) throw new ServiceError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
  if ((await deps.replays.countActive(ctx)) >= ARCHIVE_LIMITS.activeReplays) {
    throw new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
  }
  const now = deps.clock.now();
  const created = await deps.replays.create({
    account: ctx.account, region: ctx.region, name, archiveId: archive.id, archiveName, bus, description: input.Description, filterArns,
    eventStart: start, eventEnd: end, state: 'STARTING', startedAt: now,
  });
  if (!created) throw new ServiceError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
  deps.kick();
  return { ReplayArn: replayArn(ctx, name), State: 'STARTING', ReplayStartTime: new Date(now) };
}

export async function describeReplay(deps: ArchiveHandlerDeps, ctx: Ctx, input: In<'DescribeReplay'>): Promise<Out<'DescribeReplay'>> {
  const r = await deps.replays.get(ctx, input.ReplayName!);
  if (!r) throw replayNotFound(input.ReplayName!);
  return {
    ...summary(ctx, r), ReplayArn: replayArn(ctx, r.name), Description: r.description,
    Destination: { Arn: busArn(ctx, r.bus), FilterArns: r.filterArns },
  };
}

export async function listReplays(deps: ArchiveHandlerDeps, ctx: Ctx, input: In<'ListReplays'>): Promise<Out<'ListReplays'>> {
  const archiveName = input.EventSourceArn !== undefined ? archiveNameFromArn(ctx, input.EventSourceArn) : undefined;
  const limit = input.Limit ?? ARCHIVE_LIMITS.listPage;
  const rows = await deps.replays.list(ctx, { prefix: input.NamePrefix, state: input.State, archiveName, after: afterToken(input.NextToken), limit: limit + 1 });
  const { items, token } = pageOf(rows, limit, (r) => r.name);
  return { Replays: items.map((r) => summary(ctx, r)), NextToken: token };
}

export async function cancelReplay(deps: ArchiveHandlerDeps, ctx: Ctx, input: In<'CancelReplay'>): Promise<Out<'CancelReplay'>> {
  const name = input.ReplayName!;
  const r = await deps.replays.get(ctx, name);
  if (!r) throw replayNotFound(name);
  if (!(await deps.replays.cancel(ctx, name))) {
    throw new ServiceError('IllegalStatusException', `Replay ${name} is ${r.state}; a replay can be cancelled only when it is STARTING or RUNNING.`);
  }
  deps.kick();
  return { ReplayArn: replayArn(ctx, name), State: 'CANCELLING' };
}
