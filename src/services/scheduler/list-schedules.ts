/** ListSchedules: summaries in name order, filtered by group, name prefix and state. */
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { SchedulerDeps } from './deps.ts';
import { groupNotFound, scheduleArn } from './names.ts';
import { decodeToken, encodeToken, pageSize } from './paging.ts';

type After = { name: string; group: string };
const isAfter = (v: unknown): v is After =>
  typeof v === 'object' && v !== null && typeof (v as After).name === 'string' && typeof (v as After).group === 'string';

export async function listSchedules(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'ListSchedules'>): Promise<CallOutput<'scheduler', 'ListSchedules'>> {
  const after = decodeToken(input.NextToken, isAfter);
  if (input.GroupName !== undefined) {
    await deps.repo.ensureDefaultGroup(ctx, deps.clock.now());
    if (!(await deps.repo.group(ctx, input.GroupName))) throw groupNotFound(input.GroupName);
  }
  const limit = pageSize(input.MaxResults);
  const rows = await deps.repo.listSchedules(ctx, { group: input.GroupName, prefix: input.NamePrefix, state: input.State, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    Schedules: page.map((r) => ({
      Arn: scheduleArn(ctx, r.group, r.name), Name: r.name, GroupName: r.group, State: r.state,
      CreationDate: new Date(r.createdAt), LastModificationDate: new Date(r.modifiedAt), Target: { Arn: r.target.Arn },
    })),
    NextToken: rows.length > limit && last ? encodeToken({ name: last.name, group: last.group }) : undefined,
  };
}
