/**
 * What discovery infers from events: EventBridge events (source, detail-type, object detail) become
 * `<source>@<DetailType>` schemas in the AWSEvent form; GetDiscoveredSchema answers the same
 * inference for events a caller sends, and a plain `Event` schema for any other JSON.
 */
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import { checkType, isObject } from './content.ts';
import { openApiToDraft4 } from './export.ts';
import { inferAll, merge, type Shape } from './infer.ts';
import { badRequest } from './names.ts';
import { discoveredSchemaName, renderAwsEvent, renderPlain } from './render.ts';

export type ObjectShape = Extract<Shape, { t: 'object' }>;

export interface EventKind {
  name: string;
  source: string;
  detailType: string;
  shape: ObjectShape;
}

/** An event as EventBridge delivers it: the envelope with a string source and detail-type and an object detail. */
export function isAwsEvent(e: unknown): e is Record<string, unknown> & { source: string; 'detail-type': string; detail: object } {
  return isObject(e) && typeof e.source === 'string' && typeof e['detail-type'] === 'string' && isObject(e.detail);
}

/** The events grouped by discovered schema name, each group's shapes merged in arrival order. */
export function kindsOf(events: readonly unknown[]): Map<string, EventKind> {
  const kinds = new Map<string, EventKind>();
  for (const e of events) {
    if (!isAwsEvent(e)) continue;
    const name = discoveredSchemaName(e.source, e['detail-type']);
    const shape = inferAll([e]) as ObjectShape;
    const seen = kinds.get(name);
    if (seen) seen.shape = merge(seen.shape, shape) as ObjectShape;
    else kinds.set(name, { name, source: e.source, detailType: e['detail-type'], shape });
  }
  return kinds;
}

export const renderKind = (k: EventKind): string => renderAwsEvent(k.source, k.detailType, k.shape);

export async function getDiscoveredSchema(input: CallInput<'schemas', 'GetDiscoveredSchema'>): Promise<CallOutput<'schemas', 'GetDiscoveredSchema'>> {
  const type = checkType(input.Type);
  const events = (input.Events ?? []).map((text, i) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw badRequest(`Invalid event at index ${i}: each member of Events must be a JSON text.`);
    }
  });
  if (events.length === 0) throw badRequest('Events must hold at least one event.');
  let content: string;
  if (events.every(isAwsEvent)) {
    // "The array includes a single type of event": the first event's source and detail-type name it.
    const first = events[0] as { source: string; 'detail-type': string };
    content = renderAwsEvent(first.source, first['detail-type'], inferAll(events) as ObjectShape);
  } else {
    content = renderPlain(inferAll(events)!);
  }
  if (type === 'JSONSchemaDraft4') content = JSON.stringify(openApiToDraft4(JSON.parse(content) as Record<string, unknown>));
  return { Content: content };
}
