/**
 * Event data stores: Create/Get/List/Update/Delete/Restore. A deleted store waits 7 days in
 * PENDING_DELETION (restorable, not queryable, still counted against the 10-per-region quota) and
 * is then removed by the Lake job. Organization stores are not offered (one Osprey = no
 * organization), so OrganizationEnabled=true is refused.
 */
import { randomUUID } from 'node:crypto';
import type { AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import { ServiceError } from '../../../protocol/errors.ts';
import type { CallInput, CallOutput, ServiceHandlersFor } from '../../../protocol/operations.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { checkAdvancedEventSelectors } from '../trails/validate-selectors.ts';
import type { EventDataStore, LakeRepo } from './repo.ts';

export const MAX_STORES_PER_REGION = 10;
export const PENDING_DELETION_MS = 7 * 86_400_000;
const NAME = /^[a-zA-Z0-9._-]{3,128}$/;

/** AWS's default when no selectors are given: every management event. */
export const DEFAULT_SELECTORS: AdvancedEventSelector[] = [
  { Name: 'Default management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
];

export interface StoreDeps {
  repo: LakeRepo;
  /** The highest stored record seq (a new store holds records above it). */
  maxSeq(): Promise<number>;
}

type Ops = 'CreateEventDataStore' | 'GetEventDataStore' | 'ListEventDataStores' | 'UpdateEventDataStore' | 'DeleteEventDataStore' | 'RestoreEventDataStore';

export function storeHandlers(deps: StoreDeps): ServiceHandlersFor<'cloudtrail', Ops> {
  return {
    CreateEventDataStore: (ctx, input) => createStore(deps, ctx, input),
    GetEventDataStore: async (ctx, input) => ({ ...describe(findStore(deps.repo, ctx, input.EventDataStore)) }),
    ListEventDataStores: async (ctx, input) => listStores(deps.repo, ctx, input),
    UpdateEventDataStore: async (ctx, input) => updateStore(deps.repo, ctx, input),
    DeleteEventDataStore: async (ctx, input) => {
      const s = findStore(deps.repo, ctx, input.EventDataStore);
      if (s.status === 'PENDING_DELETION') throw inactive(s);
      if (s.terminationProtectionEnabled) {
        throw new ServiceError('EventDataStoreTerminationProtectedException', `Event data store ${s.arn} cannot be deleted because termination protection is enabled.`);
      }
      await deps.repo.put({ ...s, status: 'PENDING_DELETION', updated: ctx.clock.now() });
      return {};
    },
    RestoreEventDataStore: async (ctx, input) => {
      const s = findStore(deps.repo, ctx, input.EventDataStore);
      if (s.status !== 'PENDING_DELETION') {
        throw new ServiceError('InvalidEventDataStoreStatusException', `Event data store ${s.arn} is ${s.status}; only a store pending deletion can be restored.`);
      }
      const restored: EventDataStore = { ...s, status: 'ENABLED', updated: ctx.clock.now() };
      await deps.repo.put(restored);
      return describe(restored);
    },
  };
}

async function createStore(deps: StoreDeps, ctx: Ctx, input: CallInput<'cloudtrail', 'CreateEventDataStore'>): Promise<CallOutput<'cloudtrail', 'CreateEventDataStore'>> {
  const name = input.Name ?? '';
  checkName(name);
  const existing = deps.repo.stores(ctx.account, ctx.region);
  if (existing.some((s) => s.name === name)) throw new ServiceError('EventDataStoreAlreadyExistsException', `An event data store with the name ${name} already exists.`);
  if (existing.length >= MAX_STORES_PER_REGION) {
    throw new ServiceError('EventDataStoreMaxLimitExceededException', `Your account has the maximum number of event data stores (${MAX_STORES_PER_REGION}) in ${ctx.region}.`);
  }
  checkOptions(input);
  if (input.AdvancedEventSelectors) checkAdvancedEventSelectors(input.AdvancedEventSelectors);
  const id = randomUUID();
  const now = ctx.clock.now();
  const store: EventDataStore = {
    arn: `arn:aws:cloudtrail:${ctx.region}:${ctx.account}:eventdatastore/${id}`, id, account: ctx.account, region: ctx.region, name,
    status: 'ENABLED',
    advancedEventSelectors: input.AdvancedEventSelectors ?? DEFAULT_SELECTORS,
    multiRegionEnabled: input.MultiRegionEnabled ?? true,
    retentionPeriod: input.RetentionPeriod ?? 2557,
    terminationProtectionEnabled: input.TerminationProtectionEnabled ?? true,
    billingMode: input.BillingMode ?? 'EXTENDABLE_RETENTION_PRICING',
    created: now, updated: now, startSeq: await deps.maxSeq(), startScope: deps.repo.scope,
  };
  const tags = Object.fromEntries((input.TagsList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  await deps.repo.put(store, tags);
  return { ...describe(store), TagsList: input.TagsList ?? [] };
}

async function updateStore(repo: LakeRepo, ctx: Ctx, input: CallInput<'cloudtrail', 'UpdateEventDataStore'>): Promise<CallOutput<'cloudtrail', 'UpdateEventDataStore'>> {
  const s = findStore(repo, ctx, input.EventDataStore);
  if (s.status === 'PENDING_DELETION') throw inactive(s);
  checkOptions(input);
  if (input.Name !== undefined && input.Name !== s.name) {
    checkName(input.Name);
    if (repo.stores(ctx.account, ctx.region).some((o) => o.name === input.Name)) {
      throw new ServiceError('EventDataStoreAlreadyExistsException', `An event data store with the name ${input.Name} already exists.`);
    }
  }
  if (input.AdvancedEventSelectors) checkAdvancedEventSelectors(input.AdvancedEventSelectors);
  const next: EventDataStore = {
    ...s,
    name: input.Name ?? s.name,
    advancedEventSelectors: input.AdvancedEventSelectors ?? s.advancedEventSelectors,
    multiRegionEnabled: input.MultiRegionEnabled ?? s.multiRegionEnabled,
    retentionPeriod: input.RetentionPeriod ?? s.retentionPeriod,
    terminationProtectionEnabled: input.TerminationProtectionEnabled ?? s.terminationProtectionEnabled,
    billingMode: input.BillingMode ?? s.billingMode,
    updated: ctx.clock.now(),
  };
  await repo.put(next);
  return describe(next);
}

function listStores(repo: LakeRepo, ctx: Ctx, input: CallInput<'cloudtrail', 'ListEventDataStores'>): CallOutput<'cloudtrail', 'ListEventDataStores'> {
  const max = input.MaxResults ?? 1000;
  if (max < 1 || max > 1000) throw new ServiceError('InvalidMaxResultsException', 'MaxResults must be a value between 1 and 1000.');
  const all = repo.stores(ctx.account, ctx.region);
  let start = 0;
  if (input.NextToken !== undefined) {
    start = all.findIndex((s) => s.arn === Buffer.from(input.NextToken!, 'base64url').toString('utf8'));
    if (start < 0) throw new ServiceError('InvalidNextTokenException', 'The NextToken is not valid for this request.');
  }
  const page = all.slice(start, start + max);
  const next = all[start + max];
  return {
    EventDataStores: page.map((s) => {
      const d = describe(s);
      return { EventDataStoreArn: d.EventDataStoreArn, Name: d.Name, TerminationProtectionEnabled: d.TerminationProtectionEnabled, Status: d.Status,
        AdvancedEventSelectors: d.AdvancedEventSelectors, MultiRegionEnabled: d.MultiRegionEnabled, OrganizationEnabled: false,
        RetentionPeriod: d.RetentionPeriod, CreatedTimestamp: d.CreatedTimestamp, UpdatedTimestamp: d.UpdatedTimestamp };
    }),
    ...(next ? { NextToken: Buffer.from(next.arn).toString('base64url') } : {}),
  };
}

/** A store of the caller's account and region by ARN or ID; anything else is "not found". */
export function findStore(repo: LakeRepo, ctx: Ctx, ref: string | undefined): EventDataStore {
  const value = ref ?? '';
  const arn = value.startsWith('arn:') ? value : `arn:aws:cloudtrail:${ctx.region}:${ctx.account}:eventdatastore/${value}`;
  const s = repo.store(arn);
  if (!s || s.account !== ctx.account || s.region !== ctx.region) {
    throw new ServiceError('EventDataStoreNotFoundException', `The specified event data store ${value} does not exist.`);
  }
  return s;
}

export const inactive = (s: EventDataStore) =>
  new ServiceError('InactiveEventDataStoreException', `Event data store ${s.arn} is pending deletion; restore it first.`);

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new ServiceError('InvalidParameterException', `Event data store name ${name} is invalid: use 3–128 characters: letters, digits, periods, underscores and dashes.`);
  }
}

function checkOptions(input: { RetentionPeriod?: number; OrganizationEnabled?: boolean; KmsKeyId?: string }): void {
  if (input.RetentionPeriod !== undefined && (input.RetentionPeriod < 7 || input.RetentionPeriod > 3653)) {
    throw new ServiceError('InvalidParameterException', `RetentionPeriod ${input.RetentionPeriod} is invalid: it must be between 7 and 3653 days.`);
  }
  if (input.OrganizationEnabled) {
    throw new ServiceError('OrganizationsNotInUseException', 'This account is not part of an organization; organization event data stores are not available.');
  }
  if (input.KmsKeyId) throw new ServiceError('UnsupportedOperationException', 'KMS encryption of event data stores is not supported by Osprey.');
}

function describe(s: EventDataStore) {
  return {
    EventDataStoreArn: s.arn, Name: s.name, Status: s.status, AdvancedEventSelectors: s.advancedEventSelectors,
    MultiRegionEnabled: s.multiRegionEnabled, OrganizationEnabled: false, RetentionPeriod: s.retentionPeriod,
    TerminationProtectionEnabled: s.terminationProtectionEnabled, BillingMode: s.billingMode,
    CreatedTimestamp: new Date(s.created), UpdatedTimestamp: new Date(s.updated),
  };
}
