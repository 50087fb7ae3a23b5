/**
 * Contributor Insights rule management: PutInsightRule, DescribeInsightRules, Enable/Disable/
 * DeleteInsightRules (per-rule Failures, as CloudWatch answers batches), and the managed-rule pair,
 * for which Osprey offers no templates.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { ServiceHandlers } from '../../../protocol/operations.ts';
import { invalidValue } from '../errors.ts';
import { required } from '../inputs.ts';
import { decodeOffset, encodeOffset } from '../offset-token.ts';
import { tagsOf } from '../alarms/config.ts';
import { compileRule } from './contribution.ts';
import { parseRuleDefinition, type RuleDefinition } from './definition.ts';
import { getInsightRuleReport } from './report.ts';
import type { InsightRuleStore } from './repo.ts';
import type { InsightContributionStore } from '../../../store/telemetry/insight-contributions.ts';

/** "Contributor Insights rules per account: 100" (CloudWatch service quotas; per Region here). */
export const MAX_RULES = 100;
const MAX_TAGS = 50;

type Handlers = Pick<ServiceHandlers<'cloudwatch'>, 'PutInsightRule' | 'DescribeInsightRules' | 'EnableInsightRules' | 'DisableInsightRules'
  | 'DeleteInsightRules' | 'GetInsightRuleReport' | 'PutManagedInsightRules' | 'ListManagedInsightRules'>;

/** A definition CloudWatch would accept, compiled once to check its field references. */
export function checkedDefinition(text: string, ctx: Ctx): RuleDefinition {
  const d = parseRuleDefinition(text, ctx.region, ctx.account);
  try {
    compileRule(d);
  } catch (e) {
    throw invalidValue(`The value for parameter RuleDefinition is invalid: ${(e as Error).message}.`);
  }
  return d;
}

export function insightRuleHandlers(repo: InsightRuleStore, store: InsightContributionStore): Handlers {
  const batch = (ctx: Ctx, names: string[] | undefined, apply: (name: string) => Promise<boolean> | boolean) => (async () => {
    const failures = [];
    for (const name of required(names, 'RuleNames')) {
      if (!(await apply(name))) {
        failures.push({ FailureResource: name, ExceptionType: 'ResourceNotFoundException', FailureCode: '404', FailureDescription: `The rule ${name} does not exist.` });
      }
    }
    return { Failures: failures };
  })();
  return {
    PutInsightRule: async (ctx, input) => {
      const name = required(input.RuleName, 'RuleName');
      const state = input.RuleState ?? 'ENABLED';
      if (state !== 'ENABLED' && state !== 'DISABLED') throw invalidValue(`The value ${state} for parameter RuleState is invalid: use ENABLED or DISABLED.`);
      checkedDefinition(required(input.RuleDefinition, 'RuleDefinition'), ctx);
      const existing = await repo.get(ctx, name);
      if (existing === undefined && await repo.count(ctx) >= MAX_RULES) {
        throw new ServiceError('LimitExceededException', `The maximum number of Contributor Insights rules (${MAX_RULES}) has been reached.`);
      }
      const tags = { ...existing?.tags, ...tagsOf(input.Tags) };
      if (Object.keys(tags).length > MAX_TAGS) throw new ServiceError('LimitExceededException', `A resource can have at most ${MAX_TAGS} tags.`);
      await repo.put(ctx, {
        name, id: existing?.id ?? randomUUID(), state, definition: input.RuleDefinition!, applyOnTransformedLogs: input.ApplyOnTransformedLogs ?? false,
        tags, createdAt: existing?.createdAt ?? ctx.clock.now(),
      });
      return {};
    },
    DescribeInsightRules: async (ctx, input) => {
      const max = input.MaxResults ?? 500;
      const all = await repo.list(ctx);
      const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
      return {
        InsightRules: all.slice(offset, offset + max).map((r) => ({
          Name: r.name, State: r.state, Schema: 'CloudWatchLogRule/1', Definition: r.definition, ManagedRule: false, ApplyOnTransformedLogs: r.applyOnTransformedLogs,
        })),
        ...(offset + max < all.length ? { NextToken: encodeOffset(offset + max) } : {}),
      };
    },
    EnableInsightRules: (ctx, input) => batch(ctx, input.RuleNames, (n) => repo.setState(ctx, n, 'ENABLED')),
    DisableInsightRules: (ctx, input) => batch(ctx, input.RuleNames, (n) => repo.setState(ctx, n, 'DISABLED')),
    DeleteInsightRules: (ctx, input) => batch(ctx, input.RuleNames, async (n) => {
      const r = await repo.get(ctx, n);
      if (r === undefined) return false;
      await repo.delete(ctx, n);
      await store.deleteRule(ctx.account, ctx.region, r.id);
      return true;
    }),
    GetInsightRuleReport: (ctx, input) => getInsightRuleReport(repo, store, ctx, input),
    PutManagedInsightRules: async (_ctx, input) => ({
      Failures: required(input.ManagedRules, 'ManagedRules').map((m) => ({
        FailureResource: m.ResourceARN, ExceptionType: 'InvalidParameterValueException', FailureCode: '400',
        FailureDescription: `Managed rule template ${m.TemplateName} is not available: this server offers no managed Contributor Insights rules.`,
      })),
    }),
    ListManagedInsightRules: async (_ctx, input) => {
      required(input.ResourceARN, 'ResourceARN');
      return { ManagedRules: [] };
    },
  };
}
