/**
 * Canaries: CreateCanary, UpdateCanary, GetCanary, DescribeCanaries, DeleteCanary. A new canary is
 * CREATING until the runner has unpacked its code (then READY, or ERROR with the reason); a running
 * canary can be updated and keeps running with the new configuration from its next run.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CanaryCodeInput, VisualReferenceInput } from '@aws-sdk/client-synthetics';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { buildConfig, familyOf } from './canary-config.ts';
import { checkHandler, readCode } from './code/zip.ts';
import { MAX_CANARIES, type SyntheticsDeps } from './deps.ts';
import { canaryArn, canaryNotFound, conflict, validation } from './names.ts';
import { decodeToken, encodeToken } from './paging.ts';
import { canaryShape } from './shapes.ts';
import { checkTags } from './tags.ts';
import type { CanaryConfig, CanaryRecord } from './types.ts';

/** CanaryCodeInput with the model's newer member the installed SDK types lack. */
type CodeInput = CanaryCodeInput & { BlueprintTypes?: string[] };

export async function existingCanary(deps: SyntheticsDeps, ctx: Ctx, name: string): Promise<CanaryRecord> {
  const c = await deps.repo.canary(ctx, name);
  if (!c) throw canaryNotFound(name);
  return c;
}

async function codeOf(deps: SyntheticsDeps, code: CanaryCodeInput, runtimeVersion: string) {
  if (!code.Handler) throw validation('Code.Handler is required.');
  const read = await readCode(code, deps.buckets);
  checkHandler(read.zip, code.Handler, familyOf(runtimeVersion));
  return read;
}

export async function createCanary(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'CreateCanary'>): Promise<CallOutput<'synthetics', 'CreateCanary'>> {
  const name = input.Name!;
  const now = deps.clock.now();
  if (await deps.repo.canary(ctx, name)) throw validation(`Canary ${name} already exists.`);
  if ((await deps.repo.countCanaries(ctx)) >= MAX_CANARIES) {
    throw new ServiceError('ValidationException', `You have reached the quota of ${MAX_CANARIES} canaries in this account and Region.`);
  }
  const tags = checkTags({}, input.Tags ?? {});
  familyOf(input.RuntimeVersion!);
  const code = await codeOf(deps, input.Code!, input.RuntimeVersion!);
  const config = buildConfig(input, { handler: input.Code!.Handler!, sourceLocationArn: code.sourceLocationArn, blueprintTypes: (input.Code as CodeInput).BlueprintTypes }, deps.buckets, now);
  const record: CanaryRecord = {
    name, id: randomUUID(), config, codeSha: code.sha, state: 'CREATING', stateReasonCode: 'CREATE_IN_PROGRESS',
    createdAt: now, modifiedAt: now, tags,
  };
  if (!(await deps.repo.insertCanary(ctx, record, code.zip))) throw validation(`Canary ${name} already exists.`);
  deps.changed();
  return { Canary: canaryShape(ctx, record) };
}

/** VisualReference: `lastrun` names the newest run now; `nextrun` is resolved when that run finishes. */
async function visualReference(deps: SyntheticsDeps, ctx: Ctx, c: CanaryRecord, v: VisualReferenceInput): Promise<CanaryConfig['visualReference']> {
  let base = v.BaseCanaryRunId!;
  if (base === 'lastrun') {
    const [last] = await deps.repo.listRuns(ctx, c.id, { limit: 1 });
    if (!last) throw validation('VisualReference.BaseCanaryRunId is lastrun, but the canary has no runs yet. Use nextrun.');
    base = last.id;
  } else if (base !== 'nextrun' && !(await deps.repo.run(ctx, c.id, base))) {
    throw validation(`VisualReference.BaseCanaryRunId ${base} is not a run of canary ${c.name}; use lastrun, nextrun or the Id of one of its runs.`);
  }
  return { baseCanaryRunId: base, baseScreenshots: v.BaseScreenshots ?? [] };
}

const UPDATABLE = ['READY', 'STOPPED', 'ERROR', 'RUNNING'] as const;

export async function updateCanary(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'UpdateCanary'>): Promise<CallOutput<'synthetics', 'UpdateCanary'>> {
  const c = await existingCanary(deps, ctx, input.Name!);
  if (!(UPDATABLE as readonly string[]).includes(c.state)) throw conflict(`Canary ${c.name} is in state ${c.state} and cannot be updated now.`);
  const now = deps.clock.now();
  const runtimeVersion = input.RuntimeVersion ?? c.config.runtimeVersion;
  let codeMembers = { handler: c.config.handler, sourceLocationArn: c.config.sourceLocationArn, blueprintTypes: c.config.blueprintTypes };
  let newCode: { zip: Buffer; sha: string } | undefined;
  if (input.Code) {
    const code = input.Code.ZipFile === undefined && input.Code.S3Bucket === undefined
      ? undefined : await codeOf(deps, { ...input.Code, Handler: input.Code.Handler ?? c.config.handler }, runtimeVersion);
    if (!code) {
      // Handler alone: checked against the stored zip.
      const zip = await deps.repo.code(ctx, c.name);
      checkHandler(zip!, input.Code.Handler ?? c.config.handler, familyOf(runtimeVersion));
    }
    codeMembers = { handler: input.Code.Handler ?? c.config.handler, sourceLocationArn: code ? code.sourceLocationArn : c.config.sourceLocationArn, blueprintTypes: (input.Code as CodeInput).BlueprintTypes ?? c.config.blueprintTypes };
    newCode = code;
  } else if (input.RuntimeVersion) {
    checkHandler((await deps.repo.code(ctx, c.name))!, c.config.handler, familyOf(runtimeVersion));
  }
  const config = buildConfig(input, codeMembers, deps.buckets, now, c.config);
  if (input.VisualReference) config.visualReference = await visualReference(deps, ctx, c, input.VisualReference);
  await deps.repo.updateCanary(ctx, c.name, { config, modifiedAt: now, ...(newCode ? { code: newCode.zip, codeSha: newCode.sha } : {}) });
  deps.changed();
  return {};
}

export async function getCanary(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'GetCanary'>): Promise<CallOutput<'synthetics', 'GetCanary'>> {
  return { Canary: canaryShape(ctx, await existingCanary(deps, ctx, input.Name!)) };
}

export async function describeCanaries(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'DescribeCanaries'>): Promise<CallOutput<'synthetics', 'DescribeCanaries'>> {
  const limit = input.MaxResults ?? 20;
  const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
  const rows = await deps.repo.listCanaries(ctx, { names: input.Names, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { Canaries: page.map((c) => canaryShape(ctx, c)), NextToken: rows.length > limit ? encodeToken(page.at(-1)!.name) : undefined };
}

const DELETABLE = ['READY', 'STOPPED', 'ERROR', 'CREATING'] as const;

export async function deleteCanary(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'DeleteCanary'>): Promise<CallOutput<'synthetics', 'DeleteCanary'>> {
  const c = await existingCanary(deps, ctx, input.Name!);
  if (!(DELETABLE as readonly string[]).includes(c.state)) {
    throw conflict(`Canary ${c.name} is in state ${c.state}. Stop it (StopCanary) and wait for STOPPED before deleting it.`);
  }
  await deps.repo.deleteCanary(ctx, c, canaryArn(ctx, c.name));
  // Local copies go with the runs; objects already in the artifact bucket stay, as on AWS.
  rmSync(join(deps.artifactsRoot, ctx.account, ctx.region, c.id), { recursive: true, force: true });
  deps.changed();
  return {};
}
