/**
 * Domain value → XML elements, driven by the model the way botocore's XML parsers read it back
 * (used for awsQuery responses; see query-codec.ts for the envelope).
 *
 * - element names: the member's locationName, else the member name;
 * - lists: `<Name><member>…</member></Name>` (the list member's locationName replaces `member`);
 *   flattened lists repeat the element itself (named by the list member's locationName if any);
 * - maps: `<Name><entry><key>…</key><value>…</value></entry></Name>` with the key/value
 *   locationNames; flattened maps repeat `<Name><key/><value/></Name>`;
 * - structures follow `xmlOrder` when the model has it (the order AWS's own documents use), then
 *   member order;
 * - timestamps ISO-8601 with milliseconds unless the model says otherwise.
 *
 * Strings are built by hand rather than with an XML builder: the rules above are all there is, and
 * escaping is in one place (escapeXmlText / escapeXmlAttribute).
 */
import { timestampFormatOf, toScalar } from './document-values.ts';
import { formatTimestamp } from './text-forms.ts';
import { getShape } from './models/index.ts';
import type { ListShape, MapShape, ServiceModel, Shape, ShapeRef, StructureShape } from './models/types.ts';

// Characters XML 1.0 cannot carry even as character references: C0 controls other than tab/LF/CR,
// U+FFFE/U+FFFF and unpaired surrogates. They become U+FFFD, because clients with strict parsers
// (botocore's expat) would reject the whole response otherwise.
// eslint-disable-next-line no-control-regex -- matching the control characters is the point
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"\r\n\t]/g;
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;', // needed for `]]>`; harmless elsewhere
  '"': '&quot;',
  // Parsers turn a literal CR (and CRLF) into LF; a reference keeps it.
  '\r': '&#xD;',
  '\n': '&#xA;',
  '\t': '&#x9;',
};
const replaceEntity = (c: string): string => ENTITY[c]!;

/** Text content, safe for any string. */
export function escapeXmlText(text: string): string {
  return text.replace(XML_ILLEGAL, '\uFFFD').replace(TEXT_SPECIAL, replaceEntity);
}

/** A double-quoted attribute value, safe for any string. */
export function escapeXmlAttribute(text: string): string {
  return text.replace(XML_ILLEGAL, '\uFFFD').replace(ATTR_SPECIAL, replaceEntity);
}

/** The members of a structure value as a sequence of elements (no wrapper element). */
export function writeXmlMembers(model: ServiceModel, shape: StructureShape, value: Record<string, unknown>, path = ''): string {
  let xml = '';
  for (const name of memberOrder(shape)) {
    const ref = shape.members[name]!;
    const v = value[name];
    if (v === undefined || v === null) continue;
    xml += writeMember(model, name, ref, v, path ? `${path}.${name}` : name);
  }
  return xml;
}

const orders = new WeakMap<StructureShape, string[]>();

function memberOrder(shape: StructureShape): string[] {
  let order = orders.get(shape);
  if (!order) {
    const names = Object.keys(shape.members);
    order = shape.xmlOrder ? [...shape.xmlOrder.filter((n) => n in shape.members), ...names.filter((n) => !shape.xmlOrder!.includes(n))] : names;
    orders.set(shape, order);
  }
  return order;
}

/** One structure member, which for a flattened list/map is several sibling elements. */
function writeMember(model: ServiceModel, memberName: string, ref: ShapeRef, value: unknown, path: string): string {
  const shape = getShape(model, ref.shape);
  const flattened = ref.flattened ?? shape.flattened ?? false;
  if (shape.type === 'list' && flattened) {
    // botocore: a flattened list's elements are named after the list member's locationName, else the member's.
    const elementName = shape.member.locationName ?? ref.locationName ?? memberName;
    return asArray(value, path).map((v, i) => writeElement(model, elementName, shape.member, v, `${path}[${i}]`)).join('');
  }
  if (shape.type === 'map' && flattened) {
    return writeMapEntries(model, shape, value, path, ref.locationName ?? memberName);
  }
  return writeElement(model, ref.locationName ?? memberName, ref, value, path);
}

function writeElement(model: ServiceModel, name: string, ref: ShapeRef, value: unknown, path: string): string {
  const shape = getShape(model, ref.shape);
  const ns = ref.xmlNamespace ?? shape.xmlNamespace;
  const open = ns ? `${name} ${ns.prefix ? `xmlns:${ns.prefix}` : 'xmlns'}="${escapeXmlAttribute(ns.uri)}"` : name;
  const body = elementBody(model, shape, ref, value, path);
  return body === '' && shape.type !== 'string' ? `<${open}/>` : `<${open}>${body}</${name}>`;
}

function elementBody(model: ServiceModel, shape: Shape, ref: ShapeRef, value: unknown, path: string): string {
  switch (shape.type) {
    case 'structure':
      if (!isRecord(value)) throw mismatch(path, 'an object', value);
      return writeXmlMembers(model, shape, value, path);
    case 'list':
      return writeList(model, shape, value, path);
    case 'map':
      return writeMapEntries(model, shape, value, path, 'entry');
    default:
      return scalarText(shape, ref, value, path);
  }
}

function writeList(model: ServiceModel, shape: ListShape, value: unknown, path: string): string {
  const elementName = shape.member.locationName ?? 'member';
  return asArray(value, path).map((v, i) => writeElement(model, elementName, shape.member, v, `${path}[${i}]`)).join('');
}

/** `<entry><key/><value/></entry>`… (or, flattened, the member name instead of `entry`). */
function writeMapEntries(model: ServiceModel, shape: MapShape, value: unknown, path: string, entryName: string): string {
  if (!isRecord(value)) throw mismatch(path, 'an object (map)', value);
  const keyName = shape.key.locationName ?? 'key';
  const valueName = shape.value.locationName ?? 'value';
  let xml = '';
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined || v === null) continue;
    xml +=
      `<${entryName}>` +
      writeElement(model, keyName, shape.key, key, `${path}.key`) +
      writeElement(model, valueName, shape.value, v, `${path}[${JSON.stringify(key)}]`) +
      `</${entryName}>`;
  }
  return xml;
}

function scalarText(shape: Shape, ref: ShapeRef, value: unknown, path: string): string {
  const scalar = toScalar(shape, value);
  if (scalar === undefined) throw mismatch(path, shape.type, value);
  if (typeof scalar === 'string') return escapeXmlText(scalar);
  if (typeof scalar === 'boolean') return scalar ? 'true' : 'false';
  if (scalar instanceof Date) return String(formatTimestamp(scalar, ref.timestampFormat ?? timestampFormatOf(shape) ?? 'iso8601'));
  if (Buffer.isBuffer(scalar)) return scalar.toString('base64');
  return numberText(shape, scalar);
}

function numberText(shape: Shape, n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const integral = shape.type === 'integer' || shape.type === 'long' || shape.type === 'short' || shape.type === 'byte';
  // String(1e21) is "1e+21"; integer parsers want digits.
  if (integral && !Number.isSafeInteger(n)) return BigInt(Math.trunc(n)).toString();
  return String(n);
}

function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw mismatch(path, 'a list', value);
  return value.filter((v) => v !== undefined && v !== null);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value);
}

function mismatch(path: string, expected: string, value: unknown): TypeError {
  return new TypeError(`Output ${path}: expected ${expected}, got ${Array.isArray(value) ? 'a list' : typeof value}`);
}
