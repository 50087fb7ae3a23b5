/** ListMetrics: series published to in the last two weeks (PT3H when RecentlyActive), 500 a page. */
import type { Ctx } from '../../protocol/service.ts';
import { required } from './inputs.ts';
import type { MetricsDeps } from './deps.ts';
import { ServiceError } from '../../protocol/errors.ts';
import { decodeOffset, encodeOffset } from './offset-token.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const PAGE = 500;
const RECENTLY_ACTIVE_MS = 3 * 3_600_000;

export async function listMetrics(deps: MetricsDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'ListMetrics'>): Promise<CallOutput<'cloudwatch', 'ListMetrics'>> {
  if (input.IncludeLinkedAccounts === true || (input.OwningAccount !== undefined && input.OwningAccount !== ctx.account)) {
    throw new ServiceError('InvalidParameterCombination', 'Cross-account observability (IncludeLinkedAccounts, OwningAccount) is not supported by this server.');
  }
  const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
  const now = ctx.clock.now();
  const rows = await deps.reader.listSeries({
    account: ctx.account, region: ctx.region,
    namespace: input.Namespace, metricName: input.MetricName,
    dimensions: (input.Dimensions ?? []).map((d, i) => ({ name: required(d.Name, () => `Dimensions.member.${i + 1}.Name`), value: d.Value })),
    activeSince: input.RecentlyActive === 'PT3H' ? now - RECENTLY_ACTIVE_MS : undefined,
    now, offset, limit: PAGE + 1,
  });
  const page = rows.slice(0, PAGE);
  return {
    Metrics: page.map((m) => ({
      Namespace: m.namespace,
      MetricName: m.metricName,
      Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
    })),
    NextToken: rows.length > PAGE ? encodeOffset(offset + PAGE) : undefined,
  };
}
