/**
 * PutEventSelectors' validation, with AWS's limits: at most 5 basic selectors and 250 data resource
 * values across them; advanced selectors with at most 500 condition values in all, an eventCategory
 * condition in each, and the fields AWS accepts for trails. Failures are InvalidEventSelectorsException.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import { ServiceError } from '../../../protocol/errors.ts';

export const MAX_BASIC_SELECTORS = 5;
export const MAX_DATA_RESOURCE_VALUES = 250;
export const MAX_ADVANCED_VALUES = 500;

/** The data resource types Osprey records data events for, and AWS's basic-selector types (accepted, never seen here). */
export const DATA_RESOURCE_TYPES = new Set([
  'AWS::Logs::LogGroup', 'AWS::CloudWatch::Metric', 'AWS::Events::EventBus',
  'AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table',
]);

const ADVANCED_FIELDS = new Set([
  'eventCategory', 'eventSource', 'eventName', 'eventType', 'readOnly', 'resources.type', 'resources.ARN',
  'errorCode', 'userIdentity.arn', 'sessionCredentialFromConsole', 'vpcEndpointId', 'eventTypeName',
]);
const OPERATORS = ['Equals', 'NotEquals', 'StartsWith', 'NotStartsWith', 'EndsWith', 'NotEndsWith'] as const;
const CATEGORIES = new Set(['Management', 'Data']);
const EVENT_SOURCE = /^[a-z0-9-]+\.amazonaws\.com$/;

const invalid = (msg: string) => new ServiceError('InvalidEventSelectorsException', msg);

export function checkEventSelectors(selectors: EventSelector[]): void {
  if (selectors.length > MAX_BASIC_SELECTORS) {
    throw invalid(`A trail can have at most ${MAX_BASIC_SELECTORS} event selectors; ${selectors.length} were specified.`);
  }
  let values = 0;
  for (const s of selectors) {
    for (const source of s.ExcludeManagementEventSources ?? []) {
      if (!EVENT_SOURCE.test(source)) throw invalid(`ExcludeManagementEventSources value ${source} is not an event source such as kms.amazonaws.com.`);
    }
    for (const dr of s.DataResources ?? []) {
      if (!dr.Type || !DATA_RESOURCE_TYPES.has(dr.Type)) {
        throw invalid(`Value ${dr.Type} for DataResources.Type is invalid. Valid types: ${[...DATA_RESOURCE_TYPES].join(', ')}.`);
      }
      if (!dr.Values?.length) throw invalid(`DataResources of type ${dr.Type} must list at least one value (an ARN or ARN prefix).`);
      for (const v of dr.Values) {
        if (!/^arn:[^:]+:[^:]+/.test(v)) throw invalid(`Value ${v} for DataResources.Values is invalid: it must be an ARN or an ARN prefix such as arn:aws:logs.`);
      }
      values += dr.Values.length;
    }
  }
  if (values > MAX_DATA_RESOURCE_VALUES) {
    throw invalid(`A trail's event selectors can name at most ${MAX_DATA_RESOURCE_VALUES} data resources; ${values} were specified.`);
  }
}

export function checkAdvancedEventSelectors(selectors: AdvancedEventSelector[]): void {
  if (selectors.length === 0) throw invalid('AdvancedEventSelectors must contain at least one selector.');
  let values = 0;
  for (const s of selectors) values += checkAdvancedSelector(s);
  if (values > MAX_ADVANCED_VALUES) {
    throw invalid(`A trail's advanced event selectors can use at most ${MAX_ADVANCED_VALUES} values in all conditions; ${values} were specified.`);
  }
}

/** One selector's rules; returns how many condition values it uses. */
function checkAdvancedSelector(s: AdvancedEventSelector): number {
  const fields = s.FieldSelectors ?? [];
  const seen = new Set<string>();
  let values = 0;
  for (const fs of fields) {
    const field = fs.Field ?? '';
    if (!ADVANCED_FIELDS.has(field)) throw invalid(`Field ${field} is not valid in an advanced event selector. Valid fields: ${[...ADVANCED_FIELDS].join(', ')}.`);
    if (seen.has(field)) throw invalid(`Field ${field} appears more than once in the selector${s.Name ? ` ${s.Name}` : ''}.`);
    seen.add(field);
    const used = OPERATORS.filter((op) => fs[op] !== undefined);
    if (used.length === 0) throw invalid(`Field ${field} must have at least one operator (${OPERATORS.join(', ')}).`);
    for (const op of used) values += fs[op]!.length;
  }
  const category = fields.find((f) => f.Field === 'eventCategory');
  if (!category || onlyEquals(category).length === 0) throw invalid('Each advanced event selector must have an eventCategory field with the Equals operator.');
  for (const c of category.Equals!) if (!CATEGORIES.has(c)) throw invalid(`Value ${c} for field eventCategory is invalid. Valid values: Management, Data.`);
  const readOnly = fields.find((f) => f.Field === 'readOnly');
  if (readOnly && (onlyEquals(readOnly).length !== 1 || !['true', 'false'].includes(readOnly.Equals![0]))) {
    throw invalid('Field readOnly takes the Equals operator with one value, true or false.');
  }
  if (category.Equals!.includes('Data')) checkDataSelector(fields);
  else checkManagementSelector(fields);
  return values;
}

/** The operands of Equals when it is the field's only operator (else []). */
function onlyEquals(fs: AdvancedFieldSelector): string[] {
  return OPERATORS.every((op) => op === 'Equals' || fs[op] === undefined) ? (fs.Equals ?? []) : [];
}

function checkDataSelector(fields: AdvancedFieldSelector[]): void {
  const type = fields.find((f) => f.Field === 'resources.type');
  const types = type ? onlyEquals(type) : [];
  if (types.length !== 1) throw invalid('A data event selector must have a resources.type field with the Equals operator and exactly one value.');
  if (!/^AWS::\w+::\w+$/.test(types[0])) throw invalid(`Value ${types[0]} for field resources.type is not a resource type.`);
}

function checkManagementSelector(fields: AdvancedFieldSelector[]): void {
  for (const f of fields) {
    if (!['eventCategory', 'readOnly', 'eventSource'].includes(f.Field!)) {
      throw invalid(`Field ${f.Field} is not valid for management events. Management event selectors take eventCategory, readOnly and eventSource.`);
    }
  }
}
