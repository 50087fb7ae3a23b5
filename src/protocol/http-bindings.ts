/**
 * The text forms of scalars bound to HTTP outside the body (restJson URI labels, query parameters,
 * headers): what a client writes for a boolean, a number, a timestamp, a blob or a `jsonvalue`, and
 * how lists are spread over repeated query keys or comma-separated header values.
 */
import { getShape } from './models/index.ts';
import type { ServiceModel, Shape, ShapeRef, TimestampFormat } from './models/types.ts';
import { INT_RANGES, toScalar } from './document-values.ts';
import { decodeBase64, formatTimestamp, parseTimestamp } from './text-forms.ts';

export type BindingLocation = 'uri' | 'querystring' | 'header';

/** Returned when text cannot be read as the member's type. */
export const BAD_TEXT = Symbol('bad-text');

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]?Infinity)$/;

/** What a type's text looks like, for validation messages. */
export const TEXT_EXPECTED: Record<string, string> = {
  boolean: 'Member must be true or false',
  timestamp: 'Member must be a timestamp (RFC 7231 date, ISO 8601 or epoch seconds)',
  blob: 'Member must be base64-encoded',
  string: 'Member must be text',
};

/** One scalar from its HTTP text (labels and query values arrive percent-decoded). */
export function scalarFromText(shape: Shape, ref: ShapeRef, text: string, where: BindingLocation): unknown {
  switch (shape.type) {
    case 'string':
      // A jsonvalue header carries base64 of the JSON text (both SDKs); elsewhere it is plain text.
      if (ref.jsonvalue && where === 'header') {
        const bytes = decodeBase64(text);
        return bytes === undefined ? BAD_TEXT : bytes.toString('utf8');
      }
      return text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : BAD_TEXT;
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'biginteger': {
      if (!INTEGER_TEXT.test(text)) return BAD_TEXT;
      const n = Number(text);
      const range = INT_RANGES[shape.type];
      return range && (n < range[0] || n > range[1]) ? BAD_TEXT : n;
    }
    case 'float':
    case 'double':
    case 'bigdecimal':
      return FLOAT_TEXT.test(text) ? Number(text) : BAD_TEXT;
    case 'timestamp':
      // Lenient on input: whatever the model's format, any spelling a client may send is accepted.
      return parseTimestamp(text) ?? BAD_TEXT;
    case 'blob':
      return decodeBase64(text) ?? BAD_TEXT;
    default:
      return BAD_TEXT;
  }
}

/**
 * A header's list items. Values are comma-separated; an item with a comma or quote is a quoted
 * string with backslash escapes. RFC 7231 dates contain a comma themselves (`Fri, 02 Jan …`), so
 * for them every two pieces make one item, as Smithy specifies.
 */
export function splitHeaderList(text: string, httpDates: boolean): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < text.length) current += text[++i];
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"' && current.trim() === '') {
      quoted = wasQuoted = true;
      current = '';
    } else if (c === ',') {
      items.push(wasQuoted ? current : current.trim());
      current = '';
      wasQuoted = false;
    } else {
      current += c;
    }
  }
  items.push(wasQuoted ? current : current.trim());
  if (!httpDates) return items;
  const dates: string[] = [];
  for (let i = 0; i < items.length; i += 2) dates.push(items[i + 1] === undefined ? items[i]! : `${items[i]}, ${items[i + 1]}`);
  return dates;
}

/** Header timestamps default to RFC 7231 dates; query and URI ones to ISO 8601 (botocore/Smithy). */
export function bindingTimestampFormat(ref: ShapeRef, shape: Shape, where: BindingLocation): TimestampFormat {
  const declared = ref.timestampFormat ?? (shape.type === 'timestamp' ? shape.timestampFormat : undefined);
  return declared ?? (where === 'header' ? 'rfc822' : 'iso8601');
}

/** Header values Node (and HTTP) can carry: visible ASCII, space and tab. */
const HEADER_SAFE = /^[\t\x20-\x7e]*$/;

/**
 * A domain value as header text, or undefined when there is nothing to send. A value the member
 * cannot hold, or text a header cannot carry, is a handler bug (TypeError → 500).
 */
export function headerText(model: ServiceModel, ref: ShapeRef, value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = getShape(model, ref.shape);
  let text: string;
  if (shape.type === 'list') {
    if (!Array.isArray(value)) throw new TypeError(`Output ${path}: expected a list for a header`);
    const member = getShape(model, shape.member.shape);
    text = value
      .filter((v) => v !== undefined && v !== null)
      .map((v, i) => {
        const item = scalarText(model, shape.member, v, `${path}[${i}]`);
        // Strings with separators are quoted so the client splits them back correctly.
        return member.type === 'string' && /[",]/.test(item) ? `"${item.replace(/["\\]/g, '\\$&')}"` : item;
      })
      .join(', ');
  } else {
    text = scalarText(model, ref, value, path);
  }
  if (!HEADER_SAFE.test(text)) throw new TypeError(`Output ${path}: header values must be printable ASCII`);
  return text;
}

function scalarText(model: ServiceModel, ref: ShapeRef, value: unknown, path: string): string {
  const shape = getShape(model, ref.shape);
  if (shape.type === 'string' && ref.jsonvalue) {
    return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64');
  }
  const scalar = toScalar(shape, value);
  if (scalar === undefined) throw new TypeError(`Output ${path}: cannot send ${typeof value} as a ${shape.type} header`);
  if (scalar instanceof Date) return String(formatTimestamp(scalar, bindingTimestampFormat(ref, shape, 'header')));
  if (Buffer.isBuffer(scalar)) return scalar.toString('base64');
  return String(scalar);
}
