/** PutParameter: a new parameter or a new version of one, with Parameter Store's quotas. */
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import { DEFAULT_KEY_ID, type SsmDeps } from './deps.ts';
import { checkName, validation } from './names.ts';
import type { ParameterVersion } from './repo.ts';
import { tagsFromList } from './tags.ts';
import { checkAllowedPattern, checkValue, tierFor } from './values.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

/** Versions kept per parameter; the oldest goes when a new one arrives, unless it carries a label. */
export const MAX_VERSIONS = 100;
const MAX_PARAMETERS = { Standard: 10_000, Advanced: 100_000 } as const;

export async function putParameter(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'PutParameter'>): Promise<CallOutput<'ssm', 'PutParameter'>> {
  const name = checkName(input.Name!);
  if (input.Policies !== undefined) {
    throw new ServiceError('InvalidPolicyTypeException', 'Osprey does not support parameter policies (Expiration, ExpirationNotification, NoChangeNotification); no parameter was written.');
  }
  if (input.Tags?.length && input.Overwrite) {
    throw validation(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  const current = await deps.repo.latest(ctx, name);
  if (current && !input.Overwrite) {
    throw new ServiceError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
  }
  const type = input.Type ?? current?.type;
  if (type === undefined) throw validation('A parameter type is required when you create a parameter.');
  if (current && current.type !== type) {
    throw new ServiceError('HierarchyTypeMismatchException', "Parameter Store does not support changing a parameter type. You can't change a parameter from a " +
      `${current.type} type to a ${type} type. You must create a new, unique parameter.`);
  }
  if (input.KeyId !== undefined && type !== 'SecureString') {
    throw validation('KeyId is required for SecureString type parameter only.');
  }
  const value = input.Value!;
  const tier = tierFor(input.Tier, value, current?.tier);
  const allowedPattern = input.AllowedPattern ?? current?.allowedPattern;
  checkAllowedPattern(input.AllowedPattern);
  const dataType = input.DataType ?? current?.dataType ?? 'text';
  checkValue(value, tier, allowedPattern, dataType, type);
  if (!current) await checkQuota(deps, ctx, tier);
  const version = (current?.version ?? 0) + 1;
  await checkOldestUnlabelled(deps, ctx, name, version);
  const keyId = type === 'SecureString' ? (input.KeyId ?? current?.keyId ?? DEFAULT_KEY_ID) : undefined;
  const record: ParameterVersion = {
    name, version, type, tier, dataType, keyId, allowedPattern,
    value: keyId ? deps.keys.seal(keyId, value) : value,
    description: input.Description ?? current?.description,
    modifiedAt: deps.clock.now(),
    modifiedBy: ctx.principalArn,
    labels: [],
  };
  await deps.repo.append(ctx, record, { tags: current ? undefined : tagsFromList(input.Tags ?? []), keep: MAX_VERSIONS });
  return { Version: version, Tier: tier };
}

async function checkQuota(deps: SsmDeps, ctx: Ctx, tier: 'Standard' | 'Advanced'): Promise<void> {
  if ((await deps.repo.count(ctx, tier)) >= MAX_PARAMETERS[tier]) {
    throw new ServiceError('ParameterLimitExceeded', `You have exceeded the number of ${tier.toLowerCase()} parameters for this account and Region (${MAX_PARAMETERS[tier]}). Delete unnecessary parameters and try again.`);
  }
}

async function checkOldestUnlabelled(deps: SsmDeps, ctx: Ctx, name: string, version: number): Promise<void> {
  const dropped = version - MAX_VERSIONS;
  if (dropped < 1) return;
  const oldest = await deps.repo.version(ctx, name, dropped);
  if (oldest && oldest.labels.length > 0) {
    throw new ServiceError(
      'ParameterMaxVersionLimitExceeded',
      `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${dropped}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
    );
  }
}
