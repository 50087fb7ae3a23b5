/** Rules: Put/Describe/Delete/List/Enable/DisableRule and ListRuleNamesByTarget. */
import type { Rule as SdkRule, RuleState } from '@aws-sdk/client-eventbridge';
import { compileEventPattern, InvalidEventPattern } from '../../lib/event-pattern/index.ts';
import { InvalidSchedule, parseRuleSchedule } from '../../lib/schedule/index.ts';
import type { Scope } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import { loadBus } from './buses.ts';
import type { EventsDeps } from './deps.ts';
import { DEFAULT_BUS, ownBus, ruleArn, ruleNotFound, validation } from './names.ts';
import { afterToken, pageOf } from './paging.ts';
import type { Rule } from './repo.ts';
import { tagMap } from './tags.ts';
import type { In, Out } from './types.ts';

/** A pattern as PutRule and TestEventPattern check it: AWS's InvalidEventPatternException and message. */
export function checkPattern(text: string): void {
  try {
    compileEventPattern(text);
  } catch (e) {
    if (e instanceof InvalidEventPattern) throw new ServiceError('InvalidEventPatternException', e.message);
    throw e;
  }
}

function checkSchedule(expr: string, bus: string): void {
  if (bus !== DEFAULT_BUS) throw validation('ScheduleExpression is supported only on the default event bus.');
  try {
    parseRuleSchedule(expr);
  } catch (e) {
    if (e instanceof InvalidSchedule) throw validation('Parameter ScheduleExpression is not valid.');
    throw e;
  }
}

export async function loadRule(deps: EventsDeps, ctx: Ctx, bus: string, name: string): Promise<Rule> {
  const rule = await deps.repo.getRule(ctx, bus, name);
  if (!rule) throw ruleNotFound(name, bus);
  return rule;
}

export async function putRule(deps: EventsDeps, ctx: Ctx, input: In<'PutRule'>): Promise<Out<'PutRule'>> {
  const bus = ownBus(ctx, input.EventBusName);
  await loadBus(deps, ctx, bus);
  const name = input.Name!;
  if (!input.EventPattern && !input.ScheduleExpression) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (input.ScheduleExpression) checkSchedule(input.ScheduleExpression, bus);
  if (input.EventPattern) checkPattern(input.EventPattern);
  const existing = await deps.repo.getRule(ctx, bus, name);
  if (!existing && (await deps.repo.countRules(ctx, bus)) >= deps.limits.rulesPerBus) {
    throw new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
  }
  // Tags apply when the rule is created; AWS ignores them when PutRule updates a rule.
  await deps.repo.putRule(ctx, {
    bus, name, eventPattern: input.EventPattern, schedule: input.ScheduleExpression, state: input.State ?? 'ENABLED',
    description: input.Description, roleArn: input.RoleArn, createdAt: existing?.createdAt ?? deps.clock.now(),
    tags: existing?.tags ?? tagMap(input.Tags),
  });
  return { RuleArn: ruleArn(ctx, bus, name) };
}

function toSdkRule(s: Scope, r: Rule): SdkRule {
  return {
    Name: r.name, Arn: ruleArn(s, r.bus, r.name), EventPattern: r.eventPattern, State: r.state as RuleState, Description: r.description,
    ScheduleExpression: r.schedule, RoleArn: r.roleArn, ManagedBy: r.managedBy, EventBusName: r.bus,
  };
}

export async function describeRule(deps: EventsDeps, ctx: Ctx, input: In<'DescribeRule'>): Promise<Out<'DescribeRule'>> {
  const bus = ownBus(ctx, input.EventBusName);
  const rule = await loadRule(deps, ctx, bus, input.Name!);
  return { ...toSdkRule(ctx, rule), CreatedBy: ctx.account };
}

export async function listRules(deps: EventsDeps, ctx: Ctx, input: In<'ListRules'>): Promise<Out<'ListRules'>> {
  const bus = ownBus(ctx, input.EventBusName);
  await loadBus(deps, ctx, bus);
  const limit = input.Limit ?? 100;
  const rows = await deps.repo.listRules(ctx, bus, { prefix: input.NamePrefix, after: afterToken(input.NextToken), limit: limit + 1 });
  const { items, token } = pageOf(rows, limit, (r) => r.name);
  return { Rules: items.map((r) => toSdkRule(ctx, r)), NextToken: token };
}

export async function deleteRule(deps: EventsDeps, ctx: Ctx, input: In<'DeleteRule'>): Promise<Out<'DeleteRule'>> {
  const bus = ownBus(ctx, input.EventBusName);
  const rule = await deps.repo.getRule(ctx, bus, input.Name!);
  // "If you call delete rule multiple times for the same rule, all calls will succeed." (DeleteRule API reference)
  if (!rule) return {};
  if (rule.managedBy && !input.Force) {
    throw new ServiceError('ManagedRuleException', `Rule ${rule.name} is managed by ${rule.managedBy}; delete it with Force.`);
  }
  if ((await deps.repo.listTargets(ctx, bus, rule.name)).length > 0) throw validation("Rule can't be deleted since it has targets.");
  await deps.repo.deleteRule(ctx, bus, rule.name);
  return {};
}

async function setState(deps: EventsDeps, ctx: Ctx, nameInput: string, busInput: string | undefined, state: string): Promise<void> {
  const bus = ownBus(ctx, busInput);
  const rule = await loadRule(deps, ctx, bus, nameInput);
  await deps.repo.putRule(ctx, { ...rule, state });
}

export async function enableRule(deps: EventsDeps, ctx: Ctx, input: In<'EnableRule'>): Promise<Out<'EnableRule'>> {
  await setState(deps, ctx, input.Name!, input.EventBusName, 'ENABLED');
  return {};
}

export async function disableRule(deps: EventsDeps, ctx: Ctx, input: In<'DisableRule'>): Promise<Out<'DisableRule'>> {
  await setState(deps, ctx, input.Name!, input.EventBusName, 'DISABLED');
  return {};
}

export async function listRuleNamesByTarget(deps: EventsDeps, ctx: Ctx, input: In<'ListRuleNamesByTarget'>): Promise<Out<'ListRuleNamesByTarget'>> {
  const bus = ownBus(ctx, input.EventBusName);
  await loadBus(deps, ctx, bus);
  const limit = input.Limit ?? 100;
  const after = afterToken(input.NextToken);
  const names = (await deps.repo.ruleNamesByTarget(ctx, bus, input.TargetArn!)).filter((n) => after === undefined || n > after);
  const { items, token } = pageOf(names, limit, (n) => n);
  return { RuleNames: items, NextToken: token };
}
