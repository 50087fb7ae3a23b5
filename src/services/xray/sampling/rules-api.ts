/**
 * Sampling rules (CreateSamplingRule, UpdateSamplingRule, DeleteSamplingRule, GetSamplingRules) and
 * the targets SDKs poll (GetSamplingTargets). Every region has the `Default` rule — priority 10000,
 * reservoir 1/s, 5 % of the rest, matching everything — whose rate and reservoir may be changed but
 * which cannot be deleted. The X-Ray SDKs drop a rule unless Version is 1, ResourceARN is `*` and
 * Attributes is an object (shared/protocols.md §7), so every rule is returned with all three.
 */
import type {
  CreateSamplingRuleRequest, CreateSamplingRuleResult, DeleteSamplingRuleRequest, DeleteSamplingRuleResult,
  GetSamplingRulesResult, SamplingRule, SamplingRuleRecord as ApiRecord, UpdateSamplingRuleRequest, UpdateSamplingRuleResult,
} from '@aws-sdk/client-xray';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { XrayDeps } from '../deps.ts';
import { invalidRequest } from '../errors.ts';
import type { SamplingRuleRecord } from '../repo.ts';
import { checkTags } from '../tag-checks.ts';

export const DEFAULT_RULE = 'Default';
/** "Sampling rules per Region: 25" (X-Ray service quotas), Default included. */
export const MAX_RULES = 25;

const DEFAULT_BODY = {
  ResourceARN: '*', Priority: 10000, FixedRate: 0.05, ReservoirSize: 1, ServiceName: '*', ServiceType: '*', Host: '*',
  HTTPMethod: '*', URLPath: '*', Version: 1, Attributes: {},
};

const arnOf = (ctx: Ctx, name: string): string => `arn:aws:xray:${ctx.region}:${ctx.account}:sampling-rule/${name}`;

/** The stored rules with Default first (stored once it is changed, synthesised until then). */
export async function allRules(deps: XrayDeps, ctx: Ctx): Promise<SamplingRuleRecord[]> {
  const stored = await deps.repo.rules(ctx);
  const hasDefault = stored.some((r) => r.name === DEFAULT_RULE);
  const def: SamplingRuleRecord = { name: DEFAULT_RULE, arn: arnOf(ctx, DEFAULT_RULE), rule: DEFAULT_BODY, createdAt: 0, modifiedAt: 0 };
  return hasDefault ? stored : [def, ...stored];
}

function toApi(r: SamplingRuleRecord): ApiRecord {
  return {
    SamplingRule: { RuleName: r.name, RuleARN: r.arn, ...r.rule } as SamplingRule,
    CreatedAt: new Date(r.createdAt * 1000), ModifiedAt: new Date(r.modifiedAt * 1000),
  };
}

async function findRule(deps: XrayDeps, ctx: Ctx, name: string | undefined, arn: string | undefined): Promise<SamplingRuleRecord> {
  if (!name && !arn) throw invalidRequest('Either RuleName or RuleARN is required.');
  const r = (await allRules(deps, ctx)).find((x) => (name ? x.name === name : x.arn === arn));
  if (!r) throw invalidRequest(`Sampling rule does not exist: ${name ?? arn}`);
  return r;
}

function checkBody(rule: Record<string, unknown>): void {
  if (rule.Version !== 1) throw invalidRequest('Version must be 1.');
  if (rule.ResourceARN !== '*') throw invalidRequest('ResourceARN must be "*" (X-Ray SDKs ignore other rules).');
}

export async function createSamplingRule(deps: XrayDeps, ctx: Ctx, input: CreateSamplingRuleRequest): Promise<CreateSamplingRuleResult> {
  const { RuleName, RuleARN: _arn, ...body } = input.SamplingRule ?? ({} as SamplingRule);
  if (!RuleName) throw invalidRequest('RuleName is required.');
  if (RuleName === DEFAULT_RULE || await deps.repo.rule(ctx, RuleName)) throw invalidRequest(`Sampling rule already exists: ${RuleName}`);
  if ((await allRules(deps, ctx)).length >= MAX_RULES) {
    throw new ServiceError('RuleLimitExceededException', `You have reached the maximum number of sampling rules (${MAX_RULES}).`);
  }
  const rule = { Attributes: {}, ...body } as Record<string, unknown>;
  checkBody(rule);
  const now = Math.floor(deps.clock.now() / 1000);
  const rec: SamplingRuleRecord = { name: RuleName, arn: arnOf(ctx, RuleName), rule, createdAt: now, modifiedAt: now };
  const tags = await checkTags(deps, ctx, rec.arn, input.Tags ?? []);
  await deps.repo.putRule(ctx, rec);
  await deps.repo.putTags(ctx, rec.arn, tags);
  return { SamplingRuleRecord: toApi(rec) };
}

export async function updateSamplingRule(deps: XrayDeps, ctx: Ctx, input: UpdateSamplingRuleRequest): Promise<UpdateSamplingRuleResult> {
  const u = input.SamplingRuleUpdate ?? {};
  const r = await findRule(deps, ctx, u.RuleName, u.RuleARN);
  const { RuleName: _n, RuleARN: _a, SamplingRateBoost: _b, ...changes } = u;
  if (r.name === DEFAULT_RULE && Object.keys(changes).some((k) => k !== 'FixedRate' && k !== 'ReservoirSize')) {
    throw invalidRequest('Only FixedRate and ReservoirSize of the Default rule can be changed.');
  }
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const rule = { ...r.rule, ...defined };
  checkBody(rule);
  const rec = { ...r, rule, modifiedAt: Math.floor(deps.clock.now() / 1000) };
  await deps.repo.putRule(ctx, rec);
  return { SamplingRuleRecord: toApi(rec) };
}

export async function deleteSamplingRule(deps: XrayDeps, ctx: Ctx, input: DeleteSamplingRuleRequest): Promise<DeleteSamplingRuleResult> {
  const r = await findRule(deps, ctx, input.RuleName, input.RuleARN);
  if (r.name === DEFAULT_RULE) throw invalidRequest('The Default sampling rule cannot be deleted.');
  await deps.repo.deleteRule(ctx, r.name);
  await deps.repo.removeTags(ctx, r.arn);
  deps.reservoirs.forget(`${ctx.account}/${ctx.region}/${r.name}`);
  // A new rule of the same name starts with no statistics.
  await deps.settings.forgetSamplingRule(ctx, r.name);
  return { SamplingRuleRecord: toApi(r) };
}

export async function getSamplingRules(deps: XrayDeps, ctx: Ctx): Promise<GetSamplingRulesResult> {
  return { SamplingRuleRecords: (await allRules(deps, ctx)).map(toApi) };
}
