import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import { parseArn } from '../../lib/arn.ts';
import type { LogsDeps } from './deps.ts';
import { groupNotFound, required, resolveIdentifier } from './names.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

/**
 * CloudWatch Logs requires the full ARN of a symmetric KMS key in the group's region. Osprey has no
 * KMS: it manages the key material itself (see store/keys), so any well-formed key ARN of the
 * caller's account and region names a key.
 */
export function checkKmsKeyArn(ctx: Ctx, kmsKeyId: string): string {
  const p = parseArn(kmsKeyId);
  if (!p || p.service !== 'kms' || !/^key\/[A-Za-z0-9-]{1,128}$/.test(p.resource)) {
    throw new ServiceError('InvalidParameterException', `Specified KMS key ARN ${kmsKeyId} is not valid: use the full ARN arn:aws:kms:<region>:<account>:key/<key-id>.`);
  }
  if (p.region !== ctx.region) {
    throw new ServiceError('InvalidParameterException', `The KMS key ${kmsKeyId} must be in the same region as the log group (${ctx.region}).`);
  }
  return kmsKeyId;
}

/** What AssociateKmsKey and DisassociateKmsKey have in common: the resource the key is for. */
interface KmsTarget {
  logGroupName?: string;
  resourceIdentifier?: string;
}

function target(ctx: Ctx, input: KmsTarget) {
  if (input.logGroupName !== undefined && input.resourceIdentifier !== undefined) {
    throw new ServiceError('InvalidParameterException', 'logGroupName and resourceIdentifier are mutually exclusive parameters.');
  }
  if (input.logGroupName !== undefined) return { account: ctx.account, region: ctx.region, name: input.logGroupName };
  if (input.resourceIdentifier === undefined) {
    throw new ServiceError('InvalidParameterException', 'Either logGroupName or resourceIdentifier must be specified.');
  }
  if (input.resourceIdentifier.includes(':query-result:')) {
    throw new ServiceError('InvalidParameterException', 'Encrypting query results is not supported by Osprey; associate the key with a log group.');
  }
  return resolveIdentifier(ctx, input.resourceIdentifier, 'resourceIdentifier');
}

/** New events of the group are encrypted with the key from now on; stored ones keep their key. */
export async function associateKmsKey(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'AssociateKmsKey'>): Promise<CallOutput<'logs', 'AssociateKmsKey'>> {
  const key = target(ctx, input);
  if (!(await deps.meta.updateGroup(key, { kmsKeyId: checkKmsKeyArn(ctx, required(input.kmsKeyId, 'kmsKeyId')) }))) throw groupNotFound();
  return {};
}

/** New events are stored in plain text again; events encrypted earlier stay readable. */
export async function disassociateKmsKey(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'DisassociateKmsKey'>): Promise<CallOutput<'logs', 'DisassociateKmsKey'>> {
  const key = target(ctx, input);
  if (!(await deps.meta.updateGroup(key, { kmsKeyId: null }))) throw groupNotFound();
  return {};
}
