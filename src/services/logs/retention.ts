import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { LogsDeps } from './deps.ts';
import { groupKey, groupNotFound, required } from './names.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy API reference). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export async function putRetentionPolicy(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'PutRetentionPolicy'>): Promise<CallOutput<'logs', 'PutRetentionPolicy'>> {
  const retentionInDays = required(input.retentionInDays, 'retentionInDays');
  if (!(RETENTION_DAYS as readonly number[]).includes(retentionInDays)) {
    throw new ServiceError(
      'InvalidParameterException',
      `1 validation error detected: Value '${retentionInDays}' at 'retentionInDays' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
  const key = groupKey(ctx, input);
  if (!(await deps.meta.updateGroup(key, { retentionDays: retentionInDays }))) throw groupNotFound();
  deps.retention?.kick();
  return {};
}

export async function deleteRetentionPolicy(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'DeleteRetentionPolicy'>): Promise<CallOutput<'logs', 'DeleteRetentionPolicy'>> {
  const key = groupKey(ctx, input);
  if (!(await deps.meta.updateGroup(key, { retentionDays: null }))) throw groupNotFound();
  return {};
}
