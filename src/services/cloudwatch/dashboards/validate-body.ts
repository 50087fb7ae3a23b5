/**
 * PutDashboard's DashboardBody check: the overall structure (widgets, variables, time range) and,
 * through widgets.ts, each widget's properties. Pure: a body in, the violations out.
 */
import { arrayOf, isObject, obj, str, validate, type Schema, type ValidationMessage } from './schema.ts';
import { WIDGET } from './widgets.ts';

/** A variable needs what its type refers to: a property name, or a pattern to replace. */
function variableTarget(v: unknown, path: string, out: ValidationMessage[]): void {
  const o = v as Record<string, unknown>;
  if (o.type === 'property' && !('property' in o)) out.push({ dataPath: path, message: `Should have required property 'property'` });
  if (o.type === 'pattern' && !('pattern' in o)) out.push({ dataPath: path, message: `Should have required property 'pattern'` });
}

const VARIABLE = obj({
  type: str(['property', 'pattern']),
  property: str(),
  pattern: str(),
  inputType: str(['input', 'select', 'radio']),
  id: str(),
  label: str(),
  defaultValue: str(),
  visible: { type: 'boolean' },
  values: arrayOf(obj({ value: str(), label: str() }, ['value'])),
}, ['type', 'inputType', 'id'], variableTarget);

const BODY: Schema = obj({
  widgets: arrayOf(WIDGET, undefined, 500),
  variables: arrayOf(VARIABLE),
  start: str(),
  end: str(),
  periodOverride: str(['auto', 'inherit']),
}, ['widgets']);

export type BodyCheck =
  | { ok: true; messages: [] }
  /** Not JSON, or not a JSON object: AWS answers this with its own message, not the list. */
  | { ok: false; notAnObject: true }
  | { ok: false; notAnObject?: false; messages: ValidationMessage[] };

export function validateDashboardBody(body: string): BodyCheck {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, notAnObject: true };
  }
  if (!isObject(doc)) return { ok: false, notAnObject: true };
  const messages: ValidationMessage[] = [];
  validate(BODY, doc, '', messages);
  return messages.length === 0 ? { ok: true, messages: [] } : { ok: false, messages };
}

/** The error message AWS builds from the list: a count, then the list as indented JSON. */
export function invalidBodyMessage(messages: ValidationMessage[]): string {
  return `The dashboard body is invalid, there are ${messages.length} validation errors:\n${JSON.stringify(messages, null, 2)}`;
}
