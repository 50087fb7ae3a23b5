/**
 * Whether a trail's selectors ask for a record, with AWS's semantics:
 * - no selectors set: every management event (AWS's default for a new trail), no data events;
 * - basic selectors (EventSelectors): a record is selected when any selector takes it — management
 *   events per IncludeManagementEvents, ReadWriteType and ExcludeManagementEventSources; data events
 *   per ReadWriteType and a DataResources entry of the record's resource type whose value is a
 *   prefix of the resource's ARN;
 * - advanced selectors: a record is selected when ANY selector's field conditions ALL hold;
 * - Insights records: selected by an insight selector of their insightType.
 * Whether the trail is logging is not asked here (a record made while it logged is delivered even
 * if it stopped since); `wantsDataEvent` asks it for the recorder.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailRecord } from '../record/types.ts';
import type { Trail, TrailRepo } from './types.ts';

export function trailSelects(trail: Trail, record: CloudTrailRecord): boolean {
  if (record.eventCategory === 'Insight') return insightSelected(trail, record);
  if (trail.advancedEventSelectors) return trail.advancedEventSelectors.some((s) => advancedSelects(s, record));
  if (!trail.eventSelectors) return record.eventCategory === 'Management';
  return trail.eventSelectors.some((s) => basicSelects(s, record));
}

/** The recorder's question for a data call: does any logging trail in (account, region) select it? */
export function wantsDataEvent(repo: Pick<TrailRepo, 'trailsFor'>, account: string, region: string, record: CloudTrailRecord): boolean {
  return repo.trailsFor(account, region).some((t) => t.logging && trailSelects(t, record));
}

function insightSelected(trail: Trail, record: CloudTrailRecord): boolean {
  const details = record.insightDetails ?? {};
  const category = typeof details.sourceEventCategory === 'string' ? details.sourceEventCategory : 'Management';
  return trail.insightSelectors.some((s) =>
    s.InsightType === details.insightType && (!s.EventCategories?.length || s.EventCategories.includes(category as 'Management')));
}

function readWriteMatches(type: EventSelector['ReadWriteType'], record: CloudTrailRecord): boolean {
  if (type === 'ReadOnly') return record.readOnly;
  if (type === 'WriteOnly') return !record.readOnly;
  return true;
}

function basicSelects(s: EventSelector, record: CloudTrailRecord): boolean {
  if (!readWriteMatches(s.ReadWriteType, record)) return false;
  if (record.eventCategory === 'Management') {
    return s.IncludeManagementEvents !== false && !(s.ExcludeManagementEventSources ?? []).includes(record.eventSource);
  }
  if (record.eventCategory !== 'Data') return false;
  const resources = record.resources ?? [];
  return (s.DataResources ?? []).some((dr) => resources.some((r) => r.type === dr.Type && (dr.Values ?? []).some((v) => arnHasPrefix(r.ARN, v))));
}

/**
 * A DataResources value is an ARN prefix (`arn:aws:logs` = every log group, as `arn:aws:s3` is
 * every bucket on AWS). A resource recorded without an ARN matches only such "all" values.
 */
function arnHasPrefix(resourceArn: string | undefined, value: string): boolean {
  if (resourceArn !== undefined) return resourceArn.startsWith(value);
  return value.split(':').filter((p) => p !== '').length <= 3;
}

/** The values a record has for an advanced selector field (several for resources.*; none when absent). */
export function fieldValues(field: string, record: CloudTrailRecord): string[] {
  const one = (v: unknown): string[] => (v === undefined || v === null ? [] : [String(v)]);
  switch (field) {
    case 'eventCategory': return one(record.eventCategory);
    case 'eventSource': return one(record.eventSource);
    case 'eventName': return one(record.eventName);
    case 'eventType': return one(record.eventType);
    case 'readOnly': return one(record.readOnly);
    case 'errorCode': return one(record.errorCode);
    case 'userIdentity.arn': return one(record.userIdentity.arn);
    case 'sessionCredentialFromConsole': return one(record.eventType === 'AwsConsoleSignIn');
    case 'resources.type': return (record.resources ?? []).map((r) => r.type);
    case 'resources.ARN': return (record.resources ?? []).flatMap((r) => one(r.ARN));
    default: return [];
  }
}

type Test = (value: string, operand: string) => boolean;
const POSITIVE: ReadonlyArray<[keyof AdvancedFieldSelector, Test]> = [
  ['Equals', (v, o) => v === o], ['StartsWith', (v, o) => v.startsWith(o)], ['EndsWith', (v, o) => v.endsWith(o)],
];
const NEGATIVE: ReadonlyArray<[keyof AdvancedFieldSelector, Test]> = [
  ['NotEquals', (v, o) => v === o], ['NotStartsWith', (v, o) => v.startsWith(o)], ['NotEndsWith', (v, o) => v.endsWith(o)],
];

/**
 * One value against a field selector: every operator present holds (a positive one when the value
 * matches any of its operands, a negative one when it matches none).
 */
function valueHolds(fs: AdvancedFieldSelector, value: string): boolean {
  for (const [op, test] of POSITIVE) {
    const operands = fs[op] as string[] | undefined;
    if (operands && !operands.some((o) => test(value, o))) return false;
  }
  for (const [op, test] of NEGATIVE) {
    const operands = fs[op] as string[] | undefined;
    if (operands && operands.some((o) => test(value, o))) return false;
  }
  return true;
}

/** A field holds when one of the record's values for it satisfies the selector; an absent field only negative conditions. */
function fieldHolds(fs: AdvancedFieldSelector, record: CloudTrailRecord): boolean {
  const values = fieldValues(fs.Field!, record);
  if (values.length === 0) return POSITIVE.every(([op]) => fs[op] === undefined);
  return values.some((v) => valueHolds(fs, v));
}

function advancedSelects(s: AdvancedEventSelector, record: CloudTrailRecord): boolean {
  return (s.FieldSelectors ?? []).every((fs) => fieldHolds(fs, record));
}
