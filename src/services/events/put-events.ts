/** PutEvents and TestEventPattern: entries checked as AWS does, then routed by the Dispatcher. */
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { compileEventPattern } from '../../lib/event-pattern/index.ts';
import { regionlessArn } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import { policyAllowsPutEvents } from './bus-policy.ts';
import { loadBus } from './buses.ts';
import type { EventsDeps } from './deps.ts';
import type { BusEvent, Dispatcher } from './dispatch.ts';
import { busArn, busNotFound, busRef, validation, type BusRef } from './names.ts';
import { checkPattern } from './rules.ts';
import { buildEvent, checkPutEventsEntry } from './transform/index.ts';
import type { In, Out } from './types.ts';

/** 256 KB per request, counted the way AWS documents it (eb-putevent-size). */
const MAX_REQUEST_BYTES = 256 * 1024;

export function entrySize(e: PutEventsRequestEntry): number {
  let n = e.Time !== undefined ? 14 : 0;
  for (const s of [e.Source, e.DetailType, e.Detail, ...(e.Resources ?? [])]) if (s !== undefined) n += Buffer.byteLength(s);
  return n;
}

async function resolveBus(deps: EventsDeps, dispatcher: Dispatcher, ctx: Ctx, ref: BusRef): Promise<void> {
  const scope = { account: ref.account, region: ref.region };
  if (ref.account === ctx.account && ref.region === ctx.region) {
    const exists = await dispatcher.busExists(scope, ref.name, async () => {
      try {
        await loadBus(deps, ctx, ref.name);
        return true;
      } catch (e) {
        if (e instanceof ServiceError && e.code === 'ResourceNotFoundException') return false;
        throw e;
      }
    });
    if (!exists) throw busNotFound(ref.name);
    return;
  }
  const bus = await deps.repo.getBus(scope, ref.name);
  const arn = busArn(scope, ref.name);
  if (!bus || !policyAllowsPutEvents(bus.policy, ctx.account, arn)) {
    // AWS answers the same for a missing bus and one whose policy does not admit the caller.
    throw new ServiceError('AccessDeniedException',
      `User: ${regionlessArn('iam', ctx, 'root')} is not authorized to perform: events:PutEvents on resource: ${arn} because no resource-based policy allows the events:PutEvents action`);
  }
}

/** Sources starting with `aws.` belong to AWS services; customers (unlike Osprey's own services) may not use them. */
function awsSourceRefusal(ctx: Ctx, entry: PutEventsRequestEntry) {
  if (ctx.invokedBy || !entry.Source?.startsWith('aws.')) return undefined;
  return { errorCode: 'NotAuthorizedForSourceException', errorMessage: 'Not authorized for the source.' };
}

export async function putEvents(deps: EventsDeps, dispatcher: Dispatcher, ctx: Ctx, input: In<'PutEvents'>): Promise<Out<'PutEvents'>> {
  if (input.EndpointId !== undefined) throw validation('Parameter EndpointId is not valid. Reason: Osprey has no global endpoints; put events on a bus.');
  const entries = input.Entries ?? [];
  if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_REQUEST_BYTES) throw validation('Total size of the entries in the request is over the limit.');
  const now = deps.clock.now();
  const results: PutEventsResultEntry[] = [];
  const byBus = new Map<string, { ref: BusRef; events: BusEvent[] }>();
  const resolved = new Set<string>();
  for (const entry of entries) {
    const ref = busRef(ctx, entry.EventBusName);
    const key = `${ref.account}\u0000${ref.region}\u0000${ref.name}`;
    if (!resolved.has(key)) {
      try {
        await resolveBus(deps, dispatcher, ctx, ref);
      } catch (e) {
        if (e instanceof ServiceError && e.code === 'ResourceNotFoundException') throw busNotFound(entry.EventBusName ?? ref.name);
        throw e;
      }
      resolved.add(key);
    }
    const checked = checkPutEventsEntry(entry);
    const refused = 'refusal' in checked ? checked.refusal : awsSourceRefusal(ctx, entry);
    if (refused || !('detail' in checked)) {
      results.push({ ErrorCode: refused?.errorCode, ErrorMessage: refused?.errorMessage });
      continue;
    }
    const event = buildEvent(entry, { account: ctx.account, region: ref.region, now, detail: checked.detail });
    const group = byBus.get(key) ?? { ref, events: [] };
    group.events.push({ event, json: JSON.stringify(event), ingestedAt: now });
    byBus.set(key, group);
    results.push({ EventId: event.id });
  }
  for (const { ref, events } of byBus.values()) await dispatcher.dispatch({ account: ref.account, region: ref.region }, ref.name, events);
  return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
}

export function testEventPattern(input: In<'TestEventPattern'>): Out<'TestEventPattern'> {
  checkPattern(input.EventPattern!);
  // AWS's answer (recorded by LocalStack's validated tests) for a non-object event or one without the
  // mandatory fields `id`, `account`, `source`, `time`, `region`, `detail-type`.
  let event: unknown;
  try {
    event = JSON.parse(input.Event!);
  } catch {
    throw validation('Parameter Event is not valid.');
  }
  const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(event) || ['id', 'account', 'source', 'time', 'region', 'detail-type'].some((k) => !(k in event))) {
    throw validation('Parameter Event is not valid.');
  }
  return { Result: compileEventPattern(input.EventPattern!).matchesJson(input.Event!) };
}
