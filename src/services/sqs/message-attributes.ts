/** Message attributes and system attributes as SendMessage accepts them (names, types, values, sizes). */
import { ServiceError } from '../../protocol/errors.ts';
import type { AttributeValue } from './md5.ts';
import { invalidParameterValue } from './names.ts';

const NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const TYPE = /^(String|Number|Binary)(\.[^\s]{1,256})?$/;
const MAX_ATTRIBUTES = 10;
/** Characters SQS accepts in bodies and string values. */
// eslint-disable-next-line no-control-regex -- tab, LF and CR are the allowed control characters
const VALID = /^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

export function checkContents(text: string): void {
  if (!VALID.test(text)) {
    throw new ServiceError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
  }
}

function checkName(name: string): void {
  const bad = !NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws\.|amazon\.)/i.test(name);
  if (bad) throw invalidParameterValue(`Message (user) attribute name '${name}' is invalid. The attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters, must not start or end with a period, must not contain successive periods and must not start with AWS. or Amazon.`);
}

function checkNumber(name: string, v: string): void {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE][+-]?\d+)?$/.exec(v.trim());
  const digits = m ? `${m[1] ?? ''}${m[2] ?? ''}`.replace(/^0+/, '') : '';
  const n = Number(v);
  if (!m || (m[1] === '' && (m[2] ?? '') === '') || !Number.isFinite(n) || digits.length > 38 || Math.abs(n) >= 1e126 || (n !== 0 && Math.abs(n) < 1e-128)) {
    throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  }
}

/**
 * Validates message attributes; returns their size in bytes (name + type + value, what counts
 * toward MaximumMessageSize).
 */
export function checkMessageAttributes(attrs: Record<string, AttributeValue> | undefined, system = false): number {
  const entries = Object.entries(attrs ?? {});
  if (!system && entries.length > MAX_ATTRIBUTES) {
    throw invalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  let size = 0;
  for (const [name, v] of entries) {
    if (system) {
      if (name !== 'AWSTraceHeader') throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
      if (v.DataType !== 'String') throw invalidParameterValue(`Message system attribute '${name}' must be of type String.`);
    } else {
      checkName(name);
    }
    if (!TYPE.test(v.DataType)) throw invalidParameterValue(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    const binary = v.DataType.startsWith('Binary');
    const value = binary ? v.BinaryValue : v.StringValue;
    if (value === undefined || value.length === 0) {
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${v.DataType.split('.')[0]}'.`);
    }
    if (binary && v.StringValue !== undefined) throw invalidParameterValue(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
    if (!binary && v.BinaryValue !== undefined) throw invalidParameterValue(`The message attribute '${name}' with type '${v.DataType.split('.')[0]}' must use field 'String'.`);
    if (typeof value === 'string') {
      checkContents(value);
      if (v.DataType.startsWith('Number')) checkNumber(name, value);
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(v.DataType) + (typeof value === 'string' ? Buffer.byteLength(value) : value.length);
  }
  return size;
}

/** Stored form: JSON with Binary values in base64. */
export function encodeAttributes(attrs: Record<string, AttributeValue> | undefined): string | null {
  const entries = Object.entries(attrs ?? {});
  if (entries.length === 0) return null;
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (const [k, v] of entries) {
    out[k] = v.DataType.startsWith('Binary')
      ? { DataType: v.DataType, BinaryValue: Buffer.from(v.BinaryValue!).toString('base64') }
      : { DataType: v.DataType, StringValue: v.StringValue! };
  }
  return JSON.stringify(out);
}

export function decodeAttributes(stored: string | null): Record<string, AttributeValue> {
  if (!stored) return {};
  const raw = JSON.parse(stored) as Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    out[k] = v.BinaryValue !== undefined ? { DataType: v.DataType, BinaryValue: Buffer.from(v.BinaryValue, 'base64') } : { DataType: v.DataType, StringValue: v.StringValue };
  }
  return out;
}
