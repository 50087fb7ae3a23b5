/** PutTargets, RemoveTargets, ListTargetsByRule. */
import type { Target } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { EventsDeps } from './deps.ts';
import { ownBus, validation } from './names.ts';
import { afterToken, pageOf } from './paging.ts';
import { loadRule } from './rules.ts';
import { targetRef, unsupportedTarget } from '../../server/targets/target-ref.ts';
import { checkTargetInput } from './transform/check-target.ts';
import { checkDeadLetter } from './dead-letter.ts';
import type { In, Out } from './types.ts';

function checkTarget(t: Target): void {
  const refused = unsupportedTarget(t.Arn!);
  if (refused) throw validation(refused);
  checkTargetInput(t);
  // AWS: a FIFO queue target needs the message group its events go to.
  if (targetRef(t.Arn!)?.kind === 'sqs' && t.Arn!.endsWith('.fifo') && !t.SqsParameters?.MessageGroupId) {
    throw validation(`Parameter(s) SqsParameters must be specified for target: ${t.Id}.`);
  }
  if (t.DeadLetterConfig?.Arn !== undefined) checkDeadLetter(t.DeadLetterConfig.Arn);
}

export async function putTargets(deps: EventsDeps, ctx: Ctx, input: In<'PutTargets'>): Promise<Out<'PutTargets'>> {
  const bus = ownBus(ctx, input.EventBusName);
  const rule = await loadRule(deps, ctx, bus, input.Rule!);
  const targets = input.Targets ?? [];
  const ids = new Set<string>();
  for (const t of targets) {
    if (ids.has(t.Id!)) throw validation(`Parameter Targets is not valid. Reason: target Id ${t.Id} appears more than once.`);
    ids.add(t.Id!);
    checkTarget(t);
  }
  const existing = await deps.repo.listTargets(ctx, bus, rule.name);
  const total = new Set([...existing.map((t) => t.Id!), ...ids]).size;
  if (total > deps.limits.targetsPerRule) throw new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
  await deps.repo.putTargets(ctx, bus, rule.name, targets);
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export async function removeTargets(deps: EventsDeps, ctx: Ctx, input: In<'RemoveTargets'>): Promise<Out<'RemoveTargets'>> {
  const bus = ownBus(ctx, input.EventBusName);
  const rule = await loadRule(deps, ctx, bus, input.Rule!);
  const ids = input.Ids ?? [];
  const removed = new Set(await deps.repo.removeTargets(ctx, bus, rule.name, ids));
  const failed = ids.filter((id) => !removed.has(id)).map((id) => ({
    TargetId: id, ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Target ${id} does not exist on rule ${rule.name}.`,
  }));
  return { FailedEntryCount: failed.length, FailedEntries: failed };
}

export async function listTargetsByRule(deps: EventsDeps, ctx: Ctx, input: In<'ListTargetsByRule'>): Promise<Out<'ListTargetsByRule'>> {
  const bus = ownBus(ctx, input.EventBusName);
  const rule = await loadRule(deps, ctx, bus, input.Rule!);
  const after = afterToken(input.NextToken);
  const all = (await deps.repo.listTargets(ctx, bus, rule.name)).filter((t) => after === undefined || t.Id! > after);
  const { items, token } = pageOf(all, input.Limit ?? 100, (t) => t.Id!);
  return { Targets: items, NextToken: token };
}
