/**
 * Workgroups: CreateWorkGroup, GetWorkGroup, ListWorkGroups, UpdateWorkGroup, DeleteWorkGroup. The
 * `primary` workgroup always exists (made on first use in a scope, with no result location: Osprey
 * then keeps results only for GetQueryResults) and cannot be deleted. A result OutputLocation must
 * be a mapped bucket; BytesScannedCutoffPerQuery is enforced on every query of the workgroup.
 */
import type { WorkGroupConfiguration, WorkGroupConfigurationUpdates } from '@aws-sdk/client-athena';
import type { Scope } from '../../lib/arn.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { AthenaDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';
import { parseOutputLocation } from './output-location.ts';
import { decodeToken, encodeToken } from './paging.ts';
import type { WorkGroupRecord } from './types.ts';

export const PRIMARY = 'primary';
/** Workgroups per account and Region (Athena's quota: 1,000). */
const MAX_WORKGROUPS = 1000;

/** The workgroup, `primary` made on first use; InvalidRequestException when missing. */
export async function existingWorkgroup(deps: AthenaDeps, s: Scope, name: string): Promise<WorkGroupRecord> {
  const found = await deps.repo.workgroup(s, name);
  if (found) return found;
  if (name === PRIMARY) {
    const primary: WorkGroupRecord = { name, state: 'ENABLED', config: { EnforceWorkGroupConfiguration: false, PublishCloudWatchMetricsEnabled: false }, createdAt: deps.clock.now(), tags: {} };
    await deps.repo.insertWorkgroup(s, primary);
    return (await deps.repo.workgroup(s, name))!;
  }
  throw invalidRequest(`WorkGroup ${name} is not found.`);
}

function checkConfig(deps: AthenaDeps, c: WorkGroupConfiguration): WorkGroupConfiguration {
  if (c.ResultConfiguration?.OutputLocation) parseOutputLocation(c.ResultConfiguration.OutputLocation, deps.buckets);
  return { EnforceWorkGroupConfiguration: c.EnforceWorkGroupConfiguration ?? true, PublishCloudWatchMetricsEnabled: c.PublishCloudWatchMetricsEnabled ?? false, ...c };
}

const tagsOf = (list: { Key?: string; Value?: string }[] | undefined): Record<string, string> => Object.fromEntries((list ?? []).map((t) => [t.Key!, t.Value ?? '']));

export async function createWorkGroup(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'CreateWorkGroup'>): Promise<CallOutput<'athena', 'CreateWorkGroup'>> {
  const name = input.Name!;
  await existingWorkgroup(deps, ctx, PRIMARY);
  if (await deps.repo.workgroup(ctx, name)) throw invalidRequest(`WorkGroup ${name} is already created`);
  if ((await deps.repo.listWorkgroups(ctx, { limit: MAX_WORKGROUPS + 1 })).length >= MAX_WORKGROUPS) {
    throw invalidRequest(`You have reached the quota of ${MAX_WORKGROUPS} workgroups.`);
  }
  const w: WorkGroupRecord = { name, description: input.Description, state: 'ENABLED', config: checkConfig(deps, input.Configuration ?? {}), createdAt: deps.clock.now(), tags: tagsOf(input.Tags) };
  if (!(await deps.repo.insertWorkgroup(ctx, w))) throw invalidRequest(`WorkGroup ${name} is already created`);
  return {};
}

export async function getWorkGroup(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'GetWorkGroup'>): Promise<CallOutput<'athena', 'GetWorkGroup'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup!);
  return { WorkGroup: { Name: w.name, State: w.state, Configuration: { ...w.config, EngineVersion: ENGINE_VERSION }, Description: w.description, CreationTime: new Date(w.createdAt) } };
}

/** Athena's engine version names; Osprey's dialect follows engine version 3 (Trino). */
export const ENGINE_VERSION = { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' };

export async function listWorkGroups(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'ListWorkGroups'>): Promise<CallOutput<'athena', 'ListWorkGroups'>> {
  await existingWorkgroup(deps, ctx, PRIMARY);
  const limit = input.MaxResults ?? 50;
  const rows = await deps.repo.listWorkgroups(ctx, { after: input.NextToken === undefined ? undefined : decodeToken(input.NextToken), limit: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    WorkGroups: page.map((w) => ({ Name: w.name, State: w.state, Description: w.description, CreationTime: new Date(w.createdAt), EngineVersion: ENGINE_VERSION })),
    NextToken: rows.length > limit ? encodeToken(page.at(-1)!.name) : undefined,
  };
}

function applyUpdates(deps: AthenaDeps, c: WorkGroupConfiguration, u: WorkGroupConfigurationUpdates): WorkGroupConfiguration {
  const next: WorkGroupConfiguration = { ...c, ResultConfiguration: { ...c.ResultConfiguration } };
  if (u.EnforceWorkGroupConfiguration !== undefined) next.EnforceWorkGroupConfiguration = u.EnforceWorkGroupConfiguration;
  if (u.PublishCloudWatchMetricsEnabled !== undefined) next.PublishCloudWatchMetricsEnabled = u.PublishCloudWatchMetricsEnabled;
  if (u.BytesScannedCutoffPerQuery !== undefined) next.BytesScannedCutoffPerQuery = u.BytesScannedCutoffPerQuery;
  if (u.RemoveBytesScannedCutoffPerQuery) delete next.BytesScannedCutoffPerQuery;
  const r = u.ResultConfigurationUpdates;
  if (r?.OutputLocation !== undefined) next.ResultConfiguration!.OutputLocation = r.OutputLocation;
  if (r?.RemoveOutputLocation) delete next.ResultConfiguration!.OutputLocation;
  if (r?.EncryptionConfiguration !== undefined) next.ResultConfiguration!.EncryptionConfiguration = r.EncryptionConfiguration;
  if (r?.RemoveEncryptionConfiguration) delete next.ResultConfiguration!.EncryptionConfiguration;
  return checkConfig(deps, next);
}

export async function updateWorkGroup(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'UpdateWorkGroup'>): Promise<CallOutput<'athena', 'UpdateWorkGroup'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup!);
  const next: WorkGroupRecord = {
    ...w, description: input.Description ?? w.description, state: input.State ?? w.state,
    config: input.ConfigurationUpdates ? applyUpdates(deps, w.config, input.ConfigurationUpdates) : w.config,
  };
  await deps.repo.updateWorkgroup(ctx, next);
  return {};
}

export async function deleteWorkGroup(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'DeleteWorkGroup'>): Promise<CallOutput<'athena', 'DeleteWorkGroup'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup!);
  if (w.name === PRIMARY) throw invalidRequest('Cannot delete primary workgroup');
  if (!input.RecursiveDeleteOption && (await deps.repo.countWorkgroupItems(ctx, w.name)) > 0) {
    throw invalidRequest(`WorkGroup ${w.name} is not empty: delete its named queries first, or set RecursiveDeleteOption.`);
  }
  await deps.repo.deleteWorkgroup(ctx, w.name, input.RecursiveDeleteOption === true);
  return {};
}
