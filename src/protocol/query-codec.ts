/**
 * awsQuery (CloudWatch on old clients, SNS everywhere; protocols.md §2.1, §3.1).
 *
 * Requests are form parameters whose dotted keys spell the input shape:
 *   `Namespace=…`, `MetricData.member.1.Dimensions.member.1.Name=…` (lists, 1-based),
 *   `Attributes.entry.1.key=…&Attributes.entry.1.value=…` (maps), `Tags=` (an empty list).
 * Keys are first folded into a tree on the dots, then the tree is read against the shape, so each
 * rule (list / map / flattened / locationName) is applied in exactly one place.
 *
 * Responses are `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>`,
 * the members written by xml-codec.ts.
 */
import { ServiceError } from './errors.ts';
import { INT_RANGES, setOwn } from './document-values.ts';
import { decodeBase64, parseTimestamp } from './text-forms.ts';
import { getShape } from './models/index.ts';
import type { ListShape, MapShape, ServiceModel, Shape, ShapeRef, StructureShape } from './models/types.ts';
import { escapeXmlAttribute, escapeXmlText, writeXmlMembers } from './xml-codec.ts';

export interface QueryDecodeOptions {
  /**
   * The error code for a parameter whose text is not of its type (`Period=abc`). CloudWatch and SNS
   * name this differently (e.g. `InvalidParameterValue` vs `InvalidParameter`), so the caller decides.
   */
  malformedCode: string;
}

/** One dotted key segment: `MetricData` → `member` → `1` → `Value`. */
interface ParamNode {
  value: string | undefined;
  children: Map<string, ParamNode> | undefined;
}

function buildTree(params: URLSearchParams): ParamNode {
  // Nodes always have both fields and keys are scanned with indexOf: this loop is the hot path of a
  // large PutMetricData (thousands of parameters), and both halve its cost.
  const root: ParamNode = { value: undefined, children: undefined };
  for (const [key, value] of params) {
    let node = root;
    let start = 0;
    for (;;) {
      const dot = key.indexOf('.', start);
      const segment = dot === -1 ? key.slice(start) : key.slice(start, dot);
      const children = (node.children ??= new Map());
      let child = children.get(segment);
      if (!child) children.set(segment, (child = { value: undefined, children: undefined }));
      node = child;
      if (dot === -1) break;
      start = dot + 1;
    }
    // A repeated key keeps its first value, like URLSearchParams.get.
    node.value ??= value;
  }
  return root;
}

const INDEX = /^[1-9]\d*$/;

/** The children of `node` named 1, 2, 3…, in numeric order (gaps are tolerated). */
function indexedChildren(node: ParamNode | undefined): Array<[string, ParamNode]> {
  if (!node?.children) return [];
  return [...node.children].filter(([k]) => INDEX.test(k)).sort((a, b) => Number(a[0]) - Number(b[0]));
}

interface Ctx {
  model: ServiceModel;
  malformedCode: string;
}

/**
 * Form parameters → domain value for `shapeName` (the operation's input). `Action`, `Version` and
 * any parameter the shape doesn't name are ignored.
 */
export function decodeQuery(
  model: ServiceModel,
  shapeName: string,
  params: URLSearchParams,
  options: QueryDecodeOptions = { malformedCode: 'InvalidParameterValue' },
): unknown {
  const ctx: Ctx = { model, malformedCode: options.malformedCode };
  return decodeNode(ctx, { shape: shapeName }, buildTree(params), '');
}

function decodeNode(ctx: Ctx, ref: ShapeRef, node: ParamNode, key: string): unknown {
  const shape = getShape(ctx.model, ref.shape);
  switch (shape.type) {
    case 'structure':
      return decodeStructure(ctx, shape, node, key);
    case 'list':
      return decodeList(ctx, shape, ref, node, key);
    case 'map':
      return decodeMap(ctx, shape, ref, node, key);
    default:
      // `Name.foo=1` with no `Name=` itself: nothing to read for a scalar.
      return node.value === undefined ? undefined : decodeScalar(ctx, shape, node.value, key);
  }
}

function decodeStructure(ctx: Ctx, shape: StructureShape, node: ParamNode, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members)) {
    const wireName = queryMemberName(ctx.model, name, ref);
    const child = node.children?.get(wireName);
    if (!child) continue;
    const value = decodeNode(ctx, ref, child, key ? `${key}.${wireName}` : wireName);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** botocore's rule: a flattened list takes its element's locationName as the parameter name. */
function queryMemberName(model: ServiceModel, memberName: string, ref: ShapeRef): string {
  const target = getShape(model, ref.shape);
  if (target.type === 'list' && isFlattened(ref, target) && target.member.locationName) return target.member.locationName;
  return ref.locationName ?? memberName;
}

const isFlattened = (ref: ShapeRef, shape: Shape): boolean => ref.flattened ?? shape.flattened ?? false;

function decodeList(ctx: Ctx, shape: ListShape, ref: ShapeRef, node: ParamNode, key: string): unknown[] {
  // `Tags=` (no children) is how clients send an empty list.
  const container = isFlattened(ref, shape) ? node : node.children?.get(shape.member.locationName ?? 'member');
  const elementKey = isFlattened(ref, shape) ? key : `${key}.${shape.member.locationName ?? 'member'}`;
  const out: unknown[] = [];
  for (const [index, child] of indexedChildren(container)) {
    const value = decodeNode(ctx, shape.member, child, `${elementKey}.${index}`);
    if (value !== undefined) out.push(value);
  }
  return out;
}

function decodeMap(ctx: Ctx, shape: MapShape, ref: ShapeRef, node: ParamNode, key: string): Record<string, unknown> {
  const container = isFlattened(ref, shape) ? node : node.children?.get('entry');
  const entryKey = isFlattened(ref, shape) ? key : `${key}.entry`;
  const keyName = shape.key.locationName ?? 'key';
  const valueName = shape.value.locationName ?? 'value';
  const out: Record<string, unknown> = {};
  for (const [index, entry] of indexedChildren(container)) {
    const keyNode = entry.children?.get(keyName);
    const valueNode = entry.children?.get(valueName);
    // An entry without a key or value has nothing to contribute.
    if (keyNode?.value === undefined || !valueNode) continue;
    const value = decodeNode(ctx, shape.value, valueNode, `${entryKey}.${index}.${valueName}`);
    if (value !== undefined) setOwn(out, keyNode.value, value);
  }
  return out;
}

// Worded like CloudWatch's own "The value X for parameter Y is not a valid statistic."
function malformedValue(ctx: Ctx, text: string, key: string, what: string): ServiceError {
  return new ServiceError(ctx.malformedCode, `The value ${text} for parameter ${key} is not a valid ${what}.`);
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:NaN|Infinity)$/;

function decodeScalar(ctx: Ctx, shape: Shape, text: string, key: string): unknown {
  switch (shape.type) {
    case 'string':
      return text;
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw malformedValue(ctx, text, key, 'boolean (true or false)');
    }
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'biginteger': {
      const trimmed = text.trim();
      const n = Number(trimmed);
      const range = INT_RANGES[shape.type];
      if (!INTEGER_TEXT.test(trimmed) || (range && (n < range[0] || n > range[1]))) throw malformedValue(ctx, text, key, 'integer');
      return n;
    }
    case 'float':
    case 'double':
    case 'bigdecimal': {
      const trimmed = text.trim();
      if (!FLOAT_TEXT.test(trimmed)) throw malformedValue(ctx, text, key, 'number');
      return Number(trimmed);
    }
    case 'timestamp': {
      const date = parseTimestamp(text);
      if (!date) throw malformedValue(ctx, text, key, 'timestamp (ISO-8601, e.g. 2026-01-02T03:04:05Z, or epoch seconds)');
      return date;
    }
    case 'blob': {
      const bytes = decodeBase64(text);
      if (!bytes) throw malformedValue(ctx, text, key, 'base64 value');
      return bytes;
    }
    default:
      return undefined;
  }
}

/**
 * The XML document for a successful call. `<OpResult>` is always present when the operation has
 * an output shape (botocore raises KeyError without it, protocols.md §3.1), empty or not; it is
 * absent when the operation has none (PutMetricData).
 */
export function encodeQueryResponse(model: ServiceModel, operationName: string, output: unknown, requestId: string): string {
  const op = model.operations[operationName];
  if (!op) throw new Error(`Model ${model.metadata.serviceId} has no operation ${operationName}`);
  const ns = model.metadata.xmlNamespace ?? '';
  let xml = `<${op.name}Response xmlns="${escapeXmlAttribute(ns)}">`;
  if (op.output) {
    const wrapper = op.output.resultWrapper ?? `${op.name}Result`;
    const shape = getShape(model, op.output.shape);
    if (shape.type !== 'structure') throw new Error(`Output of ${op.name} is not a structure`);
    const value = output ?? {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`Output of ${op.name}: expected an object`);
    const body = writeXmlMembers(model, shape, value as Record<string, unknown>);
    xml += body ? `<${wrapper}>${body}</${wrapper}>` : `<${wrapper}/>`;
  }
  xml += `<ResponseMetadata><RequestId>${escapeXmlText(requestId)}</RequestId></ResponseMetadata></${op.name}Response>`;
  return xml;
}

export interface QueryErrorInfo {
  /** The awsQuery code (`NotFound`, `InvalidParameterValue`), not the shape name. */
  code: string;
  message: string;
  /** Sender (client fault) or Receiver. */
  sender: boolean;
}

/** The `<ErrorResponse>` document of protocols.md §3.1. */
export function encodeQueryError(xmlNamespace: string, e: QueryErrorInfo, requestId: string): string {
  return (
    '<?xml version="1.0"?>\n' +
    `<ErrorResponse xmlns="${escapeXmlAttribute(xmlNamespace)}"><Error>` +
    `<Type>${e.sender ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${escapeXmlText(e.code)}</Code>` +
    `<Message>${escapeXmlText(e.message)}</Message>` +
    `</Error><RequestId>${escapeXmlText(requestId)}</RequestId></ErrorResponse>`
  );
}
