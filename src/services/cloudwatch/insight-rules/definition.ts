/**
 * A Contributor Insights rule definition (schema CloudWatchLogRule v1), checked as CloudWatch
 * documents it ("Contributor Insights rule syntax"): Schema, LogGroupNames or LogGroupARNs (a
 * trailing `*` matches a prefix), LogFormat JSON or CLF, CLF `Fields` aliases, Contribution with up
 * to four Keys, an optional ValueOf (only with AggregateOn Sum) and up to four Filters (In, NotIn,
 * StartsWith with up to 10 strings; GreaterThan, LessThan, EqualTo, NotEqualTo with a number;
 * IsPresent with a boolean), AggregateOn Count or Sum. Unknown members are refused by path.
 */
import { z } from 'zod';
import { invalidValue } from '../errors.ts';

const strings = z.array(z.string()).min(1).max(10);
const filter = z.strictObject({
  Match: z.string().min(1),
  In: strings.optional(),
  NotIn: strings.optional(),
  StartsWith: strings.optional(),
  GreaterThan: z.number().optional(),
  LessThan: z.number().optional(),
  EqualTo: z.union([z.number(), z.string()]).optional(),
  NotEqualTo: z.union([z.number(), z.string()]).optional(),
  IsPresent: z.boolean().optional(),
});

const schema = z.strictObject({
  Schema: z.strictObject({ Name: z.literal('CloudWatchLogRule'), Version: z.literal(1) }),
  LogGroupNames: z.array(z.string().min(1).max(512)).min(1).optional(),
  LogGroupARNs: z.array(z.string().min(1)).min(1).optional(),
  LogFormat: z.enum(['JSON', 'CLF']),
  Fields: z.record(z.string().regex(/^[1-9]\d*$/, 'CLF field positions are numbers counted from 1'), z.string().min(1)).optional(),
  Contribution: z.strictObject({
    Keys: z.array(z.string().min(1)).min(1).max(4),
    ValueOf: z.string().min(1).optional(),
    Filters: z.array(filter).max(4).optional(),
  }),
  AggregateOn: z.enum(['Count', 'Sum']),
});

export type RuleDefinition = z.infer<typeof schema>;
export type RuleFilter = z.infer<typeof filter>;

const OPERATORS = ['In', 'NotIn', 'StartsWith', 'GreaterThan', 'LessThan', 'EqualTo', 'NotEqualTo', 'IsPresent'] as const;
export type FilterOperator = (typeof OPERATORS)[number];

const bad = (why: string) => invalidValue(`The value for parameter RuleDefinition is invalid: ${why}`);

export function parseRuleDefinition(text: string, region: string, account: string): RuleDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(`it is not valid JSON (${(e as Error).message}).`);
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.length ? issue.path.join('.') : 'the rule';
    throw bad(`${path}: ${issue.message}.`);
  }
  const d = r.data;
  if ((d.LogGroupNames === undefined) === (d.LogGroupARNs === undefined)) throw bad('specify either LogGroupNames or LogGroupARNs, not both.');
  for (const arn of d.LogGroupARNs ?? []) {
    const m = /^arn:aws[\w-]*:logs:([^:]+):(\d{12}|\*):log-group:(.+?)(:\*)?$/.exec(arn);
    if (!m) throw bad(`${arn} is not a log group ARN.`);
    if (m[1] !== region || (m[2] !== account && m[2] !== '*')) throw bad(`${arn} is not a log group of this account and Region (cross-account rules are not supported by this server).`);
  }
  if (d.Contribution.ValueOf !== undefined && d.AggregateOn !== 'Sum') throw bad('ValueOf can be specified only when AggregateOn is Sum.');
  if (d.AggregateOn === 'Sum' && d.Contribution.ValueOf === undefined) throw bad('AggregateOn Sum needs a ValueOf field to sum.');
  if (d.Fields !== undefined && d.LogFormat !== 'CLF') throw bad('Fields can be used only with LogFormat CLF.');
  (d.Contribution.Filters ?? []).forEach((f, i) => {
    const ops = OPERATORS.filter((o) => f[o] !== undefined);
    if (ops.length !== 1) throw bad(`Contribution.Filters.${i} must have exactly one of ${OPERATORS.join(', ')} besides Match.`);
  });
  return d;
}

/** The log group names a rule covers: exact names and `prefix*` patterns. */
export function logGroupPatterns(d: RuleDefinition): string[] {
  if (d.LogGroupNames) return d.LogGroupNames;
  return (d.LogGroupARNs ?? []).map((arn) => /:log-group:(.+?)(:\*)?$/.exec(arn)![1]!);
}

export function matchesLogGroup(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}
