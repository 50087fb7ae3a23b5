// The trail form's event choices ↔ a trail's event selectors. The form writes advanced selectors,
// as the AWS console does: one for management events (with a readOnly condition for Read or Write
// only) and one per data event resource type. Reading accepts basic and advanced selectors and says
// when they hold more than the choices can show (saving then replaces them).
import type { AdvancedEventSelector, GetEventSelectorsCommandOutput } from '@aws-sdk/client-cloudtrail';

/** The data event resource types Osprey records, as the form offers them. */
export const DATA_TYPES = [
  { type: 'AWS::Logs::LogGroup', label: 'CloudWatch Logs (PutLogEvents, GetLogEvents…)' },
  { type: 'AWS::CloudWatch::Metric', label: 'CloudWatch metrics (PutMetricData, GetMetricData…)' },
  { type: 'AWS::Events::EventBus', label: 'EventBridge (PutEvents)' },
] as const;

export const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'] as const;

export type ReadWrite = 'All' | 'ReadOnly' | 'WriteOnly';

export interface EventChoices {
  management: boolean;
  readWrite: ReadWrite;
  dataTypes: string[];
}

export const DEFAULT_CHOICES: EventChoices = { management: true, readWrite: 'All', dataTypes: [] };

export function advancedSelectors(c: EventChoices): AdvancedEventSelector[] {
  const out: AdvancedEventSelector[] = [];
  if (c.management) {
    out.push({
      Name: 'Management events',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        ...(c.readWrite === 'All' ? [] : [{ Field: 'readOnly', Equals: [c.readWrite === 'ReadOnly' ? 'true' : 'false'] }]),
      ],
    });
  }
  for (const type of c.dataTypes) {
    const label = DATA_TYPES.find((d) => d.type === type)?.label.replace(/ \(.*$/, '') ?? type;
    out.push({
      Name: `${label} data events`,
      FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: [type] }],
    });
  }
  return out;
}

const readWriteOf = (v: string[] | undefined): ReadWrite | undefined =>
  v === undefined ? 'All' : v.length === 1 && v[0] === 'true' ? 'ReadOnly' : v.length === 1 && v[0] === 'false' ? 'WriteOnly' : undefined;

/** One advanced selector as a choice, or undefined when it uses conditions the form has no field for. */
function choiceOf(s: AdvancedEventSelector): { management?: ReadWrite; dataType?: string } | undefined {
  const fields = new Map((s.FieldSelectors ?? []).map((f) => [f.Field ?? '', f]));
  const only = (f: string, ops: string[]) => Object.entries(fields.get(f) ?? {}).every(([k, v]) => k === 'Field' || v === undefined || ops.includes(k));
  const category = fields.get('eventCategory')?.Equals ?? [];
  if (![...fields.keys()].every((f) => ['eventCategory', 'readOnly', 'resources.type'].includes(f))) return undefined;
  if (!only('eventCategory', ['Equals']) || !only('readOnly', ['Equals']) || !only('resources.type', ['Equals'])) return undefined;
  if (category.length === 1 && category[0] === 'Management' && !fields.has('resources.type')) {
    const rw = readWriteOf(fields.get('readOnly')?.Equals);
    return rw && { management: rw };
  }
  const types = fields.get('resources.type')?.Equals ?? [];
  if (category.length === 1 && category[0] === 'Data' && types.length === 1 && !fields.has('readOnly')) return { dataType: types[0] };
  return undefined;
}

/** The form's choices for a trail's selectors; `exact` is false when some selector does not fit them. */
export function choicesOf(got: Pick<GetEventSelectorsCommandOutput, 'EventSelectors' | 'AdvancedEventSelectors'> | undefined): { choices: EventChoices; exact: boolean } {
  if (got?.AdvancedEventSelectors?.length) {
    const c: EventChoices = { management: false, readWrite: 'All', dataTypes: [] };
    let exact = true;
    for (const s of got.AdvancedEventSelectors) {
      const one = choiceOf(s);
      if (!one) exact = false;
      if (one?.management) Object.assign(c, { management: true, readWrite: one.management });
      if (one?.dataType && DATA_TYPES.some((d) => d.type === one.dataType)) c.dataTypes.push(one.dataType);
      else if (one?.dataType) exact = false;
    }
    return { choices: c, exact };
  }
  const basic = got?.EventSelectors ?? [];
  if (basic.length === 0) return { choices: DEFAULT_CHOICES, exact: true };
  const [s] = basic;
  const dataTypes = [...new Set(basic.flatMap((b) => (b.DataResources ?? []).map((d) => d.Type ?? '')))].filter((t) => DATA_TYPES.some((d) => d.type === t));
  return {
    choices: { management: s.IncludeManagementEvents !== false, readWrite: s.ReadWriteType ?? 'All', dataTypes },
    // Basic data resources name ARN prefixes; the form selects every resource of a type.
    exact: basic.length === 1 && (s.ExcludeManagementEventSources ?? []).length === 0
      && (s.DataResources ?? []).every((d) => (d.Values ?? []).every((v) => v.split(':').filter(Boolean).length <= 3)),
  };
}
