/**
 * Inferred shapes → schema documents in the form AWS's discovered schemas have: OpenAPI 3.0.0 with
 * `paths: {}` and one component per object; for EventBridge events the `AWSEvent` envelope carrying
 * `x-amazon-events-source` / `x-amazon-events-detail-type` and its `detail` as a component named
 * after the detail type. Keys are sorted, so equal shapes render to equal text (the version check).
 */
import type { Shape } from './infer.ts';

type Json = Record<string, unknown>;

/** `EC2 Instance State-change Notification` → `EC2InstanceStateChangeNotification` (AWS's schema titles). */
export function pascal(s: string): string {
  const out = s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return out || 'Event';
}

/**
 * A discovered schema's name, `<source>@<DetailType>` (e.g. `com.aws.orders@OrderNotification`);
 * characters a schema name cannot hold are replaced in the source.
 */
export function discoveredSchemaName(source: string, detailType: string): string {
  return `${source.replace(/[^.\-_A-Za-z0-9]/g, '_')}@${pascal(detailType)}`;
}

class Components {
  readonly schemas = new Map<string, Json>();

  /** A free component name for `hint`: `Name`, else `Name_1`, `Name_2`, … */
  reserve(hint: string): string {
    const base = pascal(hint);
    let name = base;
    for (let i = 1; this.schemas.has(name); i++) name = `${base}_${i}`;
    this.schemas.set(name, {});
    return name;
  }

  /** The object's component, named from `hint`; `first` puts members (the x-amazon extensions) before `properties`. */
  object(shape: Extract<Shape, { t: 'object' }>, hint: string, first: Json = {}, propHints: Record<string, string> = {}): string {
    const name = this.reserve(hint);
    const body: Json = { type: 'object' };
    if (shape.required.length) body.required = [...shape.required].sort();
    Object.assign(body, first);
    const props: Json = {};
    for (const k of Object.keys(shape.props).sort()) props[k] = this.schema(shape.props[k]!, propHints[k] ?? k);
    body.properties = props;
    if (shape.nullable) body.nullable = true;
    this.schemas.set(name, body);
    return name;
  }

  schema(shape: Shape, hint: string): Json {
    switch (shape.t) {
      case 'null':
        return { nullable: true };
      case 'object':
        return { $ref: `#/components/schemas/${this.object(shape, hint)}` };
      case 'array':
        // Only empty arrays seen: AWS writes their items as objects.
        return withNull({ type: 'array', items: shape.items ? this.schema(shape.items, `${hint}Item`) : { type: 'object' } }, shape.nullable);
      case 'string':
        return withNull(shape.format ? { type: 'string', format: shape.format } : { type: 'string' }, shape.nullable);
      default:
        return withNull({ type: shape.t }, shape.nullable);
    }
  }
}

const withNull = (s: Json, nullable: boolean | undefined): Json => (nullable ? { ...s, nullable: true } : s);

const document = (title: string, components: Components): string =>
  JSON.stringify({ openapi: '3.0.0', info: { version: '1.0.0', title }, paths: {}, components: { schemas: Object.fromEntries(components.schemas) } });

/** An EventBridge event's shape (the whole envelope, `detail` an object) as AWS's discovered schema. */
export function renderAwsEvent(source: string, detailType: string, event: Extract<Shape, { t: 'object' }>): string {
  const c = new Components();
  const title = pascal(detailType);
  c.object(event, 'AWSEvent', { 'x-amazon-events-detail-type': detailType, 'x-amazon-events-source': source }, { detail: title });
  return document(title, c);
}

/** Any other JSON value's shape, titled `Event` as GetDiscoveredSchema answers for non-event input. */
export function renderPlain(shape: Shape): string {
  const c = new Components();
  if (shape.t === 'object') c.object(shape, 'Event');
  else c.schemas.set('Event', c.schema(shape, 'Event'));
  return document('Event', c);
}
