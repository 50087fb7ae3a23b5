/**
 * PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter (CloudWatch Logs API reference).
 *
 * - At most 100 metric filters per log group (LimitExceededException), and at most 5 regular
 *   expressions across the filter patterns of one group (the per-pattern limit of 2 is the parser's).
 * - Exactly one metricTransformation (the model's list bounds; checked by the protocol layer).
 * - metricValue: a number ("1", "2.5") or a field of the event: `$.path` (JSON patterns),
 *   `$name` / `$N` (space-delimited patterns).
 * - Up to 3 dimensions, whose values are fields of the event; only JSON and space-delimited patterns
 *   support dimensions ("The specified filter pattern does not support dimensions"), and
 *   dimensions and defaultValue are mutually exclusive ("Invalid metric transformation: dimensions
 *   and default value are mutually exclusive properties"), both messages as AWS returns them.
 * - applyOnTransformedLogs, fieldSelectionCriteria and emitSystemFieldDimensions are stored and
 *   returned. Osprey has no log transformers yet, so filters always see the ingested message.
 */
import type { MetricFilter, MetricTransformation } from '@aws-sdk/client-cloudwatch-logs';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { LogsMetaRepo } from '../../../store/meta/logs.ts';
import type { MetricFilterRecord, MetricFiltersRepo, MetricTransformationRecord } from '../../../store/meta/metric-filters.ts';
import { parseFilterPattern, type FilterPattern, type FieldExpr, type JsonExpr, type Value } from '../filter-pattern/index.ts';
import { isNumberLiteral } from '../filter-pattern/parse.ts';
import { asStandardUnit } from '../enums.ts';
import { groupNotFound, required } from '../names.ts';
import { decodeToken, encodeToken } from '../pagination.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

/** "The maximum number of metric filters that can be associated with a log group is 100." */
export const MAX_FILTERS_PER_GROUP = 100;
/** "There is also a quota of five regular expression patterns per log group." */
export const MAX_REGEX_PER_GROUP = 5;
/** "One metric filter can include as many as three dimensions." */
export const MAX_DIMENSIONS = 3;

export interface MetricFilterDeps {
  meta: Pick<LogsMetaRepo, 'getGroup'>;
  metricFilters: MetricFiltersRepo;
}

const invalid = (message: string) => new ServiceError('InvalidParameterException', message);

export async function putMetricFilter(deps: MetricFilterDeps, ctx: Ctx, input: CallInput<'logs', 'PutMetricFilter'>): Promise<CallOutput<'logs', 'PutMetricFilter'>> {
  const key = { account: ctx.account, region: ctx.region, name: required(input.logGroupName, 'logGroupName') };
  const filterName = required(input.filterName, 'filterName');
  const filterPattern = required(input.filterPattern, 'filterPattern');
  const transformations = required(input.metricTransformations, 'metricTransformations');
  const pattern = parseFilterPattern(filterPattern);
  if (transformations.length !== 1) {
    throw invalid('Invalid metric transformation: a metric filter must have exactly one metric transformation');
  }
  const transformation = checkTransformation(transformations[0]!, pattern);
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();

  const regexes = countRegexes(pattern);
  const record: MetricFilterRecord = {
    account: ctx.account,
    region: ctx.region,
    logGroup: key.name,
    name: filterName,
    pattern: filterPattern,
    transformations: [transformation],
    applyOnTransformedLogs: input.applyOnTransformedLogs ?? false,
    fieldSelectionCriteria: input.fieldSelectionCriteria ?? null,
    emitSystemFieldDimensions: input.emitSystemFieldDimensions ?? null,
    createdAt: ctx.clock.now(),
  };
  const saved = await deps.metricFilters.put(record, (others) => {
    // Replacing a filter frees its own slot and regexes: `others` excludes it.
    if (others.length >= MAX_FILTERS_PER_GROUP) throw new ServiceError('LimitExceededException', 'Resource limit exceeded.');
    if (regexes > 0) {
      const inGroup = others.reduce((n, f) => n + countRegexes(parseStored(f.pattern)), 0);
      if (inGroup + regexes > MAX_REGEX_PER_GROUP) {
        throw new ServiceError('LimitExceededException',
          `Resource limit exceeded: the filter patterns of a log group can contain at most ${MAX_REGEX_PER_GROUP} regular expressions`);
      }
    }
  });
  // The group was deleted between the check and the write.
  if (saved === false) throw groupNotFound();
  return {};
}

/** Validates a MetricTransformation against the pattern it belongs to; returns it normalised. */
export function checkTransformation(t: MetricTransformation, pattern: FilterPattern): MetricTransformationRecord {
  const metricValue = required(t.metricValue, 'metricTransformations.1.member.metricValue');
  const value = metricValue.trim();
  if (!isNumberLiteral(value) && !value.startsWith('$')) {
    throw invalid(`Invalid metric value '${metricValue}': use a number or a field of the log event ($.field for JSON, $field for space-delimited patterns)`);
  }
  if (isNumberLiteral(value) && !Number.isFinite(Number(value))) throw invalid(`Invalid metric value '${metricValue}'`);
  const out: MetricTransformationRecord = {
    metricName: required(t.metricName, 'metricTransformations.1.member.metricName'),
    metricNamespace: required(t.metricNamespace, 'metricTransformations.1.member.metricNamespace'),
    metricValue,
  };
  if (t.defaultValue !== undefined && t.defaultValue !== null) {
    if (!Number.isFinite(t.defaultValue)) throw invalid('Invalid metric transformation: defaultValue must be a finite number');
    out.defaultValue = t.defaultValue;
  }
  const dims = Object.entries(t.dimensions ?? {});
  if (dims.length > 0) {
    if (out.defaultValue !== undefined) {
      throw invalid('Invalid metric transformation: dimensions and default value are mutually exclusive properties');
    }
    if (pattern.kind !== 'json' && pattern.kind !== 'delimited') throw invalid('The specified filter pattern does not support dimensions');
    if (dims.length > MAX_DIMENSIONS) {
      throw invalid(`Invalid metric transformation: a metric filter can have at most ${MAX_DIMENSIONS} dimensions, got ${dims.length}`);
    }
    for (const [name, v] of dims) {
      // AWS::Logs::MetricFilter Dimension: "must contain only ASCII characters, must include at
      // least one non-whitespace character, and cannot start with a colon".
      if (name.trim() === '' || name.startsWith(':') || !/^\p{ASCII}*$/u.test(name)) {
        throw invalid(`Invalid dimension name '${name}': use ASCII characters, at least one not blank, not starting with ':'`);
      }
      if (!v.trim().startsWith('$')) {
        throw invalid(`Invalid dimension value '${v}' for dimension '${name}': dimension values must be fields of the log event ($.field or $field)`);
      }
    }
    out.dimensions = Object.fromEntries(dims);
  }
  if (t.unit !== undefined && t.unit !== null) out.unit = t.unit;
  return out;
}

/** Regular expressions in a pattern (a `%…%` pattern, or `%…%` values in JSON and delimited conditions). */
export function countRegexes(p: FilterPattern): number {
  const value = (v: Value): number => (v.kind === 'regex' ? 1 : 0);
  const json = (e: JsonExpr): number =>
    e.kind === 'and' || e.kind === 'or' ? e.items.reduce((n, i) => n + json(i), 0) : e.kind === 'compare' ? value(e.value) : 0;
  const field = (e: FieldExpr): number =>
    e.kind === 'and' || e.kind === 'or' ? e.items.reduce((n, i) => n + field(i), 0) : value(e.value);
  switch (p.kind) {
    case 'regex': return 1;
    case 'json': return json(p.expr);
    case 'delimited': return p.fields.reduce((n, f) => n + (f.kind === 'field' && f.cond !== null ? field(f.cond) : 0), 0);
    default: return 0;
  }
}

function parseStored(pattern: string): FilterPattern {
  try {
    return parseFilterPattern(pattern);
  } catch {
    return { kind: 'all', source: pattern }; // stored before a parser change; counts as no regex
  }
}

interface FiltersToken {
  n: string;
  g: string;
  q: string;
}
const isFiltersToken = (v: unknown): v is FiltersToken =>
  typeof v === 'object' && v !== null && typeof (v as FiltersToken).n === 'string' &&
  typeof (v as FiltersToken).g === 'string' && typeof (v as FiltersToken).q === 'string';

export async function describeMetricFilters(
  deps: MetricFilterDeps,
  ctx: Ctx,
  input: CallInput<'logs', 'DescribeMetricFilters'>,
): Promise<CallOutput<'logs', 'DescribeMetricFilters'>> {
  if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) {
    throw invalid('metricName and metricNamespace must be specified together');
  }
  if (input.logGroupName !== undefined) {
    const group = await deps.meta.getGroup({ account: ctx.account, region: ctx.region, name: input.logGroupName });
    if (!group) throw groupNotFound();
  }
  // "CloudWatch Logs uses the value that you set here only if you also include the logGroupName parameter."
  const namePrefix = input.logGroupName !== undefined ? input.filterNamePrefix : undefined;
  const limit = input.limit ?? 50;
  // A token only continues the listing it came from.
  const fingerprint = JSON.stringify([input.logGroupName ?? null, namePrefix ?? null, input.metricNamespace ?? null, input.metricName ?? null]);
  let after: { name: string; logGroup: string } | undefined;
  if (input.nextToken !== undefined) {
    const t = decodeToken(input.nextToken, isFiltersToken);
    if (t.q !== fingerprint) throw invalid('The specified nextToken is invalid.');
    after = { name: t.n, logGroup: t.g };
  }
  const rows = await deps.metricFilters.list({
    account: ctx.account,
    region: ctx.region,
    logGroup: input.logGroupName,
    namePrefix,
    metric: input.metricName !== undefined ? { namespace: input.metricNamespace!, name: input.metricName } : undefined,
    after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    metricFilters: page.map(describeFilter),
    nextToken: rows.length > limit && last ? encodeToken({ n: last.name, g: last.logGroup, q: fingerprint }) : undefined,
  };
}

export function describeFilter(f: MetricFilterRecord): MetricFilter {
  return {
    filterName: f.name,
    filterPattern: f.pattern,
    metricTransformations: f.transformations.map((t) => ({
      metricName: t.metricName,
      metricNamespace: t.metricNamespace,
      metricValue: t.metricValue,
      defaultValue: t.defaultValue,
      dimensions: t.dimensions,
      unit: asStandardUnit(t.unit),
    })),
    creationTime: f.createdAt,
    logGroupName: f.logGroup,
    applyOnTransformedLogs: f.applyOnTransformedLogs,
    fieldSelectionCriteria: f.fieldSelectionCriteria ?? undefined,
    emitSystemFieldDimensions: f.emitSystemFieldDimensions ?? undefined,
  };
}

export async function deleteMetricFilter(deps: MetricFilterDeps, ctx: Ctx, input: CallInput<'logs', 'DeleteMetricFilter'>): Promise<CallOutput<'logs', 'DeleteMetricFilter'>> {
  const key = { account: ctx.account, region: ctx.region, name: required(input.logGroupName, 'logGroupName') };
  const filterName = required(input.filterName, 'filterName');
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();
  if (!(await deps.metricFilters.delete(key, filterName))) {
    throw new ServiceError('ResourceNotFoundException', 'The specified metric filter does not exist.');
  }
  return {};
}
