/**
 * GetSamplingTargets: SDKs report, per rule, how many requests they saw, sampled and borrowed in
 * the last interval; each gets back the rule's fixed rate and its share of the reservoir
 * (reservoir.ts) for the next 10 s. Statistics for unknown rules come back as UnprocessedStatistics;
 * the others also feed GetSamplingStatisticSummaries (statistics.ts).
 */
import type { GetSamplingTargetsRequest, GetSamplingTargetsResult, SamplingTargetDocument, UnprocessedStatistics } from '@aws-sdk/client-xray';
import type { Ctx } from '../../../protocol/service.ts';
import type { XrayDeps } from '../deps.ts';
import { TARGET_INTERVAL_SECONDS } from './reservoir.ts';
import { allRules } from './rules-api.ts';
import { recordSamplingStatistics } from './statistics.ts';

export async function getSamplingTargets(deps: XrayDeps, ctx: Ctx, input: GetSamplingTargetsRequest): Promise<GetSamplingTargetsResult> {
  const now = Math.floor(deps.clock.now() / 1000);
  const rules = new Map((await allRules(deps, ctx)).map((r) => [r.name, r]));
  const targets: SamplingTargetDocument[] = [];
  const unprocessed: UnprocessedStatistics[] = [];
  for (const doc of input.SamplingStatisticsDocuments ?? []) {
    const rule = doc.RuleName ? rules.get(doc.RuleName) : undefined;
    if (!rule) {
      unprocessed.push({ RuleName: doc.RuleName, ErrorCode: '400', Message: `Sampling rule does not exist: ${doc.RuleName}` });
      continue;
    }
    const key = `${ctx.account}/${ctx.region}/${rule.name}`;
    deps.reservoirs.report(key, doc.ClientID ?? '', doc.RequestCount ?? 0, now);
    await recordSamplingStatistics(deps, ctx, rule.name, doc, now);
    const { quota, ttl } = deps.reservoirs.quota(key, doc.ClientID ?? '', Number(rule.rule.ReservoirSize ?? 0), now);
    targets.push({
      RuleName: rule.name, FixedRate: Number(rule.rule.FixedRate ?? 0), ReservoirQuota: quota,
      ReservoirQuotaTTL: new Date(ttl * 1000), Interval: TARGET_INTERVAL_SECONDS,
    });
  }
  const lastModified = Math.max(0, ...[...rules.values()].map((r) => r.modifiedAt));
  return { SamplingTargetDocuments: targets, LastRuleModification: new Date(lastModified * 1000), UnprocessedStatistics: unprocessed };
}
