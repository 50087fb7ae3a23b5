/**
 * The checksums SQS returns and the SDKs verify (boto3 checks all three, SDK v3 the body's):
 * MD5OfMessageBody is the MD5 of the body's UTF-8 bytes; MD5OfMessageAttributes and
 * MD5OfMessageSystemAttributes hash the attributes sorted by name, each encoded as
 * len(name) name len(type) type transport-byte len(value) value, lengths 4-byte big-endian,
 * transport 1 for String/Number and 2 for Binary (AWS SQS Developer Guide, "Calculating the MD5
 * message digest for message attributes").
 */
import { createHash, hash } from 'node:crypto';

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** One-shot: no Hash object per message body. */
export const md5Hex = (body: string): string => hash('md5', body, 'hex');

function lengthPrefixed(bytes: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/** MD5 of a message-attribute map; undefined when there is none (AWS then omits the member). */
export function md5OfAttributes(attrs: Record<string, AttributeValue> | undefined): string | undefined {
  const names = Object.keys(attrs ?? {}).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const v = attrs![name]!;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(v.DataType, 'utf8')));
    if (v.BinaryValue !== undefined && v.DataType.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      hash.update(lengthPrefixed(Buffer.from(v.BinaryValue)));
    } else {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(v.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}
