/** Event buses: Create/Describe/List/Update/DeleteEventBus and the bus policy (Put/RemovePermission). */
import type { EventBus } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import { parsePolicy, permissionStatement, withoutStatement } from './bus-policy.ts';
import type { EventsDeps } from './deps.ts';
import { busArn, busNotFound, DEFAULT_BUS, ownBus, validation } from './names.ts';
import { afterToken, pageOf } from './paging.ts';
import type { Bus } from './repo.ts';
import { tagMap } from './tags.ts';
import { checkDeadLetter } from './dead-letter.ts';
import type { In, Out } from './types.ts';


/** The bus, creating the scope's default bus on first use. */
export async function loadBus(deps: EventsDeps, ctx: Ctx, name: string): Promise<Bus> {
  if (name === DEFAULT_BUS) await deps.repo.ensureDefaultBus(ctx, deps.clock.now());
  const bus = await deps.repo.getBus(ctx, name);
  if (!bus) throw busNotFound(name);
  return bus;
}

/**
 * What Osprey refuses in a bus's settings. A bus's DeadLetterConfig (AWS: for events it cannot
 * encrypt or decrypt with the bus's KMS key) is checked like a target's and kept; Osprey's buses
 * never fail that way.
 */
function unsupported(input: { LogConfig?: unknown; DeadLetterConfig?: { Arn?: string } }): void {
  if (input.LogConfig !== undefined) {
    throw validation('Parameter LogConfig is not valid. Reason: Osprey does not log event bus activity to CloudWatch Logs; no bus was changed.');
  }
  if (input.DeadLetterConfig?.Arn !== undefined) checkDeadLetter(input.DeadLetterConfig.Arn);
}

export async function createEventBus(deps: EventsDeps, ctx: Ctx, input: In<'CreateEventBus'>): Promise<Out<'CreateEventBus'>> {
  const name = input.Name!;
  unsupported(input);
  if (input.EventSourceName !== undefined) {
    throw new ServiceError('ResourceNotFoundException', `Event source ${input.EventSourceName} does not exist.`);
  }
  if (name.includes('/')) throw validation(`Parameter Name is not valid. Reason: Event bus name ${name} must not contain '/'.`);
  await deps.repo.ensureDefaultBus(ctx, deps.clock.now());
  if ((await deps.repo.countBuses(ctx)) >= deps.limits.buses) {
    throw new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
  }
  const now = deps.clock.now();
  const created = await deps.repo.createBus(ctx, {
    name, createdAt: now, modifiedAt: now, description: input.Description, kmsKeyId: input.KmsKeyIdentifier,
    deadLetterArn: input.DeadLetterConfig?.Arn, tags: tagMap(input.Tags),
  });
  if (!created) throw new ServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  return {
    EventBusArn: busArn(ctx, name), Description: input.Description, KmsKeyIdentifier: input.KmsKeyIdentifier, DeadLetterConfig: input.DeadLetterConfig,
  };
}

export async function describeEventBus(deps: EventsDeps, ctx: Ctx, input: In<'DescribeEventBus'>): Promise<Out<'DescribeEventBus'>> {
  const bus = await loadBus(deps, ctx, ownBus(ctx, input.Name));
  return {
    Name: bus.name, Arn: busArn(ctx, bus.name), Description: bus.description, KmsKeyIdentifier: bus.kmsKeyId,
    DeadLetterConfig: bus.deadLetterArn ? { Arn: bus.deadLetterArn } : undefined, Policy: bus.policy,
    CreationTime: new Date(bus.createdAt), LastModifiedTime: new Date(bus.modifiedAt),
  };
}

export async function listEventBuses(deps: EventsDeps, ctx: Ctx, input: In<'ListEventBuses'>): Promise<Out<'ListEventBuses'>> {
  await deps.repo.ensureDefaultBus(ctx, deps.clock.now());
  const limit = input.Limit ?? 100;
  const rows = await deps.repo.listBuses(ctx, { prefix: input.NamePrefix, after: afterToken(input.NextToken), limit: limit + 1 });
  const { items, token } = pageOf(rows, limit, (b) => b.name);
  const EventBuses: EventBus[] = items.map((b) => ({
    Name: b.name, Arn: busArn(ctx, b.name), Description: b.description, Policy: b.policy,
    CreationTime: new Date(b.createdAt), LastModifiedTime: new Date(b.modifiedAt),
  }));
  return { EventBuses, NextToken: token };
}

export async function updateEventBus(deps: EventsDeps, ctx: Ctx, input: In<'UpdateEventBus'>): Promise<Out<'UpdateEventBus'>> {
  unsupported(input);
  const name = ownBus(ctx, input.Name);
  await loadBus(deps, ctx, name);
  await deps.repo.updateBus(ctx, name, {
    modifiedAt: deps.clock.now(),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyId: input.KmsKeyIdentifier } : {}),
    ...(input.DeadLetterConfig !== undefined ? { deadLetterArn: input.DeadLetterConfig.Arn } : {}),
  });
  const bus = await loadBus(deps, ctx, name);
  return {
    Arn: busArn(ctx, name), Name: name, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyId,
    DeadLetterConfig: bus.deadLetterArn ? { Arn: bus.deadLetterArn } : undefined,
  };
}

export async function deleteEventBus(deps: EventsDeps, ctx: Ctx, input: In<'DeleteEventBus'>): Promise<Out<'DeleteEventBus'>> {
  const name = ownBus(ctx, input.Name);
  if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
  // Idempotent, as AWS's: the model names no ResourceNotFoundException for DeleteEventBus.
  await deps.repo.deleteBus(ctx, name);
  return {};
}

export async function putPermission(deps: EventsDeps, ctx: Ctx, input: In<'PutPermission'>): Promise<Out<'PutPermission'>> {
  const name = ownBus(ctx, input.EventBusName);
  const bus = await loadBus(deps, ctx, name);
  let policy: string;
  if (input.Policy !== undefined) {
    parsePolicy(input.Policy);
    policy = input.Policy;
  } else {
    const doc = parsePolicy(bus.policy);
    const statement = permissionStatement(busArn(ctx, name), input);
    doc.Statement = [...doc.Statement.filter((s) => s.Sid !== statement.Sid), statement];
    policy = JSON.stringify(doc);
  }
  await deps.repo.updateBus(ctx, name, { policy, modifiedAt: deps.clock.now() });
  return {};
}

export async function removePermission(deps: EventsDeps, ctx: Ctx, input: In<'RemovePermission'>): Promise<Out<'RemovePermission'>> {
  const name = ownBus(ctx, input.EventBusName);
  const bus = await loadBus(deps, ctx, name);
  if (input.RemoveAllPermissions) {
    await deps.repo.updateBus(ctx, name, { policy: undefined, modifiedAt: deps.clock.now() });
    return {};
  }
  if (!input.StatementId) throw validation('Parameter StatementId must be specified when RemoveAllPermissions is not true.');
  if (bus.policy === undefined) throw new ServiceError('ResourceNotFoundException', 'EventBus does not have a policy.');
  const doc = withoutStatement(parsePolicy(bus.policy), input.StatementId);
  await deps.repo.updateBus(ctx, name, { policy: doc.Statement.length > 0 ? JSON.stringify(doc) : undefined, modifiedAt: deps.clock.now() });
  return {};
}
