/** LabelParameterVersion and UnlabelParameterVersion: a label names one version of a parameter at a time. */
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { SsmDeps } from './deps.ts';
import { checkLabel, parseSelector } from './names.ts';
import type { ParameterVersion } from './repo.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const MAX_LABELS_PER_VERSION = 10;

async function target(deps: SsmDeps, ctx: Ctx, ref: string, version: number | undefined): Promise<{ name: string; all: ParameterVersion[]; v: ParameterVersion }> {
  const name = parseSelector(ctx, ref).name;
  const all = await deps.repo.history(ctx, name);
  if (all.length === 0) throw new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
  const v = version === undefined ? all[all.length - 1]! : all.find((h) => h.version === version);
  if (!v) throw new ServiceError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
  return { name, all, v };
}

export async function labelParameterVersion(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'LabelParameterVersion'>): Promise<CallOutput<'ssm', 'LabelParameterVersion'>> {
  const { name, all, v } = await target(deps, ctx, input.Name!, input.ParameterVersion);
  const labels = input.Labels ?? [];
  const valid = labels.filter(checkLabel);
  const invalid = labels.filter((l) => !checkLabel(l));
  const changed = new Map<number, string[]>();
  // A label moves: it leaves whichever version had it.
  for (const h of all) {
    if (h.version === v.version) continue;
    const kept = h.labels.filter((l) => !valid.includes(l));
    if (kept.length !== h.labels.length) changed.set(h.version, kept);
  }
  const mine = [...new Set([...v.labels, ...valid])];
  if (mine.length > MAX_LABELS_PER_VERSION) {
    throw new ServiceError('ParameterVersionLabelLimitExceeded', `A parameter version can have maximum ${MAX_LABELS_PER_VERSION} labels. Move one or more labels to another version and try again.`);
  }
  changed.set(v.version, mine);
  await deps.repo.setLabels(ctx, name, changed);
  return { InvalidLabels: invalid, ParameterVersion: v.version };
}

export async function unlabelParameterVersion(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'UnlabelParameterVersion'>): Promise<CallOutput<'ssm', 'UnlabelParameterVersion'>> {
  const { name, v } = await target(deps, ctx, input.Name!, input.ParameterVersion);
  const labels = input.Labels ?? [];
  const removed = labels.filter((l) => v.labels.includes(l));
  await deps.repo.setLabels(ctx, name, new Map([[v.version, v.labels.filter((l) => !removed.includes(l))]]));
  return { RemovedLabels: removed, InvalidLabels: labels.filter((l) => !removed.includes(l)) };
}
