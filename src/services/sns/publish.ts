/**
 * Publish: validates the message, then writes one outbox row per confirmed subscription that the
 * message passes (filter policy) before answering, so an accepted message survives a crash. The
 * delivery handler sends the rows.
 */
import type { Ctx } from '../../protocol/service.ts';
import type { NewOutboxRow } from '../../store/meta/outbox.ts';
import type { TopicKey } from '../../store/meta/sns.ts';
import { SNS_OUTBOX_TOPIC, type SnsDeps } from './deps.ts';
import { signatureVersionOf, type EnvelopeAttribute } from './envelope.ts';
import { filterScopeOf, matchesFilterPolicy, parseFilterPolicy, type FilterAttribute } from './filter-policy.ts';
import { fifoIds, nextSequenceNumber } from './fifo.ts';
import { invalidParameter, required, topicArn, topicKeyFromArn, topicNotFound } from './names.ts';
import type { NotificationRow } from './payload.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

/** 256 KiB: message plus attribute names, types and values. */
export const MAX_MESSAGE_BYTES = 262_144;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

/** What one message is, in Publish and in each PublishBatch entry. */
export type MessageInput = Omit<CallInput<'sns', 'Publish'>, 'TopicArn' | 'TargetArn' | 'PhoneNumber'>;

export async function publish(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'Publish'>): Promise<CallOutput<'sns', 'Publish'>> {
  if (input.PhoneNumber !== undefined) throw invalidParameter('PhoneNumber', 'Osprey does not send SMS');
  const arn = input.TopicArn ?? input.TargetArn;
  if (arn === undefined) throw invalidParameter('TopicArn or TargetArn', 'no value for required parameter');
  const key = topicKeyFromArn(ctx, arn, input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn');
  if (input.Subject !== undefined) checkSubject(input.Subject);
  return publishChecked(deps, key, input, ctx.clock.now());
}

/** A message that passed every check, ready to fan out. */
export interface PreparedMessage {
  input: MessageInput;
  message: string;
  attributes: Record<string, EnvelopeAttribute>;
  filterAttrs: Record<string, FilterAttribute>;
  perProtocol: Record<string, string> | undefined;
  /** What counts against the 256 KiB limit: the message plus attribute names, types and values. */
  bytes: number;
}

/** Checks everything about one message but the subject and its size (Publish and PublishBatch entries). */
export function prepareMessage(input: MessageInput): PreparedMessage {
  const message = input.Message ?? '';
  if (message === '') throw invalidParameter('Empty message');
  const given = attributesOf(input);
  const attributes = checkAttributes(given);
  let bytes = Buffer.byteLength(message, 'utf8');
  for (const [name, a] of Object.entries(given)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue ?? '') + (a.BinaryValue?.length ?? 0);
  }
  const perProtocol = input.MessageStructure === undefined ? undefined : parseStructure(input.MessageStructure, message);
  const filterAttrs: Record<string, FilterAttribute> = Object.fromEntries(
    Object.entries(given).map(([k, a]) => [k, { DataType: a.DataType, StringValue: a.StringValue }]),
  );
  return { input, message, attributes, filterAttrs, perProtocol, bytes };
}

/** A message attribute with the DataType the model requires (the protocol layer refused its absence). */
interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

function attributesOf(input: MessageInput): Record<string, MessageAttribute> {
  const out: Record<string, MessageAttribute> = {};
  for (const [name, a] of Object.entries(input.MessageAttributes ?? {})) out[name] = { ...a, DataType: required(a.DataType, 'DataType') };
  return out;
}

/** Checks everything about the message but the subject, and fans it out. */
export async function publishChecked(deps: SnsDeps, key: TopicKey, input: MessageInput, now: number): Promise<{ MessageId: string; SequenceNumber?: string }> {
  const m = prepareMessage(input);
  if (m.bytes > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  const [published] = await fanOut(deps, key, [m], now);
  return published!;
}

/** What Publish answers for one message (FIFO topics add the sequence number). */
export interface Published {
  MessageId: string;
  SequenceNumber?: string;
}

/**
 * Writes one outbox row per (message, confirmed subscription whose filter policy it passes), all in
 * one enqueue, before the caller answers; returns each message's id.
 */
export async function fanOut(deps: SnsDeps, key: TopicKey, messages: PreparedMessage[], now: number): Promise<Published[]> {
  const topic = await deps.repo.getTopic(key);
  if (!topic) throw topicNotFound();
  // Checked for every message before anything is enqueued: one bad entry refuses the request.
  const fifo = messages.map((m) => fifoIds(topic, m.input));
  const subs = await deps.repo.confirmedSubscriptions(key);
  const timestamp = new Date(now).toISOString();
  const rows: NewOutboxRow[] = [];
  const out: Published[] = [];
  for (const [i, m] of messages.entries()) {
    const messageId = deps.ids.uuid();
    const ids = fifo[i] ? { ...fifo[i], sequenceNumber: nextSequenceNumber(now) } : undefined;
    out.push({ MessageId: messageId, ...(ids ? { SequenceNumber: ids.sequenceNumber } : {}) });
    for (const sub of subs) {
      const body = m.perProtocol ? (m.perProtocol[sub.protocol] ?? m.perProtocol.default) : m.message;
      if (sub.attributes.FilterPolicy) {
        const policy = parseFilterPolicy(sub.attributes.FilterPolicy);
        if (!matchesFilterPolicy(policy, filterScopeOf(sub.attributes), { attributes: m.filterAttrs, body })) continue;
      }
      const row: NotificationRow = {
        v: 1,
        kind: 'notification',
        account: sub.account,
        region: sub.region,
        topicArn: topicArn(key),
        subscriptionArn: sub.arn,
        protocol: sub.protocol,
        endpoint: sub.endpoint,
        messageId,
        timestamp,
        signatureVersion: signatureVersionOf(topic.attributes),
        ...(topic.attributes.DisplayName ? { displayName: topic.attributes.DisplayName } : {}),
        message: body,
        ...(m.input.Subject !== undefined ? { subject: m.input.Subject } : {}),
        ...(Object.keys(m.attributes).length > 0 ? { attributes: m.attributes } : {}),
        raw: sub.attributes.RawMessageDelivery === 'true',
        ...(ids ? { fifo: ids } : m.input.MessageGroupId !== undefined ? { groupId: m.input.MessageGroupId } : {}),
        ...contentType(sub.attributes.DeliveryPolicy ?? topic.attributes.DeliveryPolicy),
      };
      const payload = JSON.stringify(row);
      rows.push({ topic: SNS_OUTBOX_TOPIC, target: sub.arn, payload, bytes: payload.length });
    }
  }
  await deps.outbox.enqueue(rows, now);
  return out;
}

/** AWS: ASCII, starting with a letter, number or punctuation, no line breaks or control characters, under 100 characters. */
export function checkSubject(subject: string): void {
  if (subject.length === 0 || subject.length > 100 || !/^[\x21-\x7e][\x20-\x7e]*$/.test(subject)) throw invalidParameter('Subject');
}

function parseStructure(structure: string, message: string): Record<string, string> {
  if (structure !== 'json') throw invalidParameter('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw invalidParameter(`Message Structure - the value of ${k} must be a string`);
    out[k] = v;
  }
  if (out.default === undefined) throw invalidParameter('Message Structure - No default entry in JSON message body');
  return out;
}

function checkAttributes(attrs: Record<string, MessageAttribute>): Record<string, EnvelopeAttribute> {
  // No count limit (only the 256 KiB message size): SNS takes more than SQS's ten; a raw delivery of
  // such a message to a queue is a client-side error (sqs-endpoint.ts).
  const names = Object.keys(attrs);
  const out: Record<string, EnvelopeAttribute> = {};
  for (const name of names) {
    const a = attrs[name];
    if (!ATTRIBUTE_NAME.test(name) || /^(aws\.|amazon\.)/i.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      throw invalidParameter(`The message attribute name '${name}' is invalid`);
    }
    const base = a.DataType.split('.')[0];
    if (!['String', 'Number', 'Binary'].includes(base)) {
      throw invalidParameter(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (base === 'Binary') {
      if (a.BinaryValue === undefined) throw invalidParameter(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      out[name] = { Type: a.DataType, Value: Buffer.from(a.BinaryValue).toString('base64') };
      continue;
    }
    if (a.StringValue === undefined) throw invalidParameter(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
    if (base === 'Number' && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(a.StringValue.trim())) {
      throw invalidParameter(`Could not cast message attribute '${name}' value to number.`);
    }
    if (a.DataType === 'String.Array') {
      let ok: boolean;
      try {
        ok = Array.isArray(JSON.parse(a.StringValue));
      } catch {
        ok = false;
      }
      if (!ok) throw invalidParameter(`The message attribute '${name}' with type 'String.Array' must be a JSON array.`);
    }
    out[name] = { Type: a.DataType, Value: a.StringValue };
  }
  return out;
}

function contentType(deliveryPolicy: string | undefined): { contentType?: string } {
  if (!deliveryPolicy) return {};
  try {
    const p = JSON.parse(deliveryPolicy) as { http?: { defaultRequestPolicy?: { headerContentType?: unknown } }; requestPolicy?: { headerContentType?: unknown } };
    const ct = p.requestPolicy?.headerContentType ?? p.http?.defaultRequestPolicy?.headerContentType;
    return typeof ct === 'string' && ct !== '' ? { contentType: ct } : {};
  } catch {
    return {};
  }
}
