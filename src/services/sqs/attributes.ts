/**
 * Queue attributes as AWS documents them (CreateQueue / SetQueueAttributes): names, ranges,
 * defaults, FIFO-only ones and the JSON policies. Pure: the caller supplies what it must look up.
 */
import { ServiceError } from '../../protocol/errors.ts';
import { parseQueueArn } from './names.ts';

/** Settable attributes and their defaults ('' = absent unless set). */
export const DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const STRING_ATTRIBUTES = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'SqsManagedSseEnabled']);
const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);

/** Read-only attributes GetQueueAttributes reports besides the settable ones. */
export const COMPUTED = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];

export const ALL_NAMES = new Set([...Object.keys(RANGES), ...STRING_ATTRIBUTES, ...FIFO_ONLY, ...COMPUTED]);

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export const invalidAttributeValue = (name: string, reason?: string): ServiceError =>
  new ServiceError('InvalidAttributeValue', `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`);

export const invalidAttributeName = (name: string): ServiceError =>
  new ServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`);

/** What checking needs from the store: whether a dead-letter target exists and is FIFO. */
export interface AttributeContext {
  fifo: boolean;
  creating: boolean;
  /** The queue's own ARN (its scope for RedrivePolicy targets). */
  arn: string;
  deadLetterTarget(arn: string): { fifo: boolean } | undefined;
}

/** Validates a set of attributes; returns them normalised (numbers in canonical form). */
export function checkAttributes(attrs: Record<string, string>, c: AttributeContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) out[name] = checkAttribute(name, value, c);
  if (c.fifo && out.FifoThroughputLimit === 'perMessageGroupId' && (out.DeduplicationScope ?? 'queue') !== 'messageGroup') {
    // AWS: high throughput needs per-group deduplication.
    if (c.creating) throw invalidAttributeValue('FifoThroughputLimit', 'perMessageGroupId requires DeduplicationScope messageGroup.');
  }
  return out;
}

function checkAttribute(name: string, value: string, c: AttributeContext): string {
  const range = RANGES[name];
  if (range) {
    if (!/^-?\d+$/.test(value.trim())) throw invalidAttributeValue(name);
    const n = Number(value.trim());
    if (n < range[0] || n > range[1]) throw invalidAttributeValue(name);
    return String(n);
  }
  if (FIFO_ONLY.has(name)) return checkFifoAttribute(name, value, c);
  switch (name) {
    case 'SqsManagedSseEnabled':
      if (value !== 'true' && value !== 'false') throw invalidAttributeValue(name);
      return value;
    case 'KmsMasterKeyId':
      return value;
    case 'Policy':
      if (value !== '') checkJson(name, value);
      return value;
    case 'RedriveAllowPolicy':
      if (value !== '') checkRedriveAllow(value);
      return value;
    case 'RedrivePolicy':
      if (value !== '') checkRedrivePolicy(value, c);
      return value;
  }
  throw invalidAttributeName(name);
}

function checkFifoAttribute(name: string, value: string, c: AttributeContext): string {
  if (name === 'FifoQueue') {
    if (!c.creating) throw new ServiceError('InvalidAttributeName', 'Unknown Attribute FifoQueue.');
    if (value !== 'true' && value !== 'false') throw invalidAttributeValue(name);
    return value;
  }
  if (!c.fifo) throw invalidAttributeName(name);
  const allowed: Record<string, string[]> = {
    ContentBasedDeduplication: ['true', 'false'],
    DeduplicationScope: ['messageGroup', 'queue'],
    FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
  };
  if (!allowed[name]!.includes(value)) throw invalidAttributeValue(name);
  return value;
}

function checkJson(name: string, value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalidAttributeValue(name, 'failed to parse JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidAttributeValue(name, 'must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Parses a stored or given RedrivePolicy (maxReceiveCount may be a number or a numeric string). */
export function parseRedrivePolicy(value: string | undefined): RedrivePolicy | undefined {
  if (!value) return undefined;
  const p = JSON.parse(value) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  return { deadLetterTargetArn: String(p.deadLetterTargetArn), maxReceiveCount: Number(p.maxReceiveCount) };
}

function checkRedrivePolicy(value: string, c: AttributeContext): void {
  const p = checkJson('RedrivePolicy', value);
  const bad = (reason: string) =>
    new ServiceError('InvalidParameterValue', `Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  for (const k of Object.keys(p)) {
    if (k !== 'deadLetterTargetArn' && k !== 'maxReceiveCount') throw bad(`Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`);
  }
  if (typeof p.deadLetterTargetArn !== 'string') throw bad('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (p.maxReceiveCount === undefined) throw bad('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  const count = Number(p.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw bad('Invalid value for maxReceiveCount: ' + String(p.maxReceiveCount) + ', valid values are from 1 to 1000 both inclusive.');
  const target = parseQueueArn(p.deadLetterTargetArn, 'RedrivePolicy');
  const own = parseQueueArn(c.arn, 'QueueArn');
  if (target.account !== own.account || target.region !== own.region) throw bad('Dead-letter target must be in the same account and region.');
  const dlq = c.deadLetterTarget(p.deadLetterTargetArn);
  if (!dlq) throw bad('Dead letter target does not exist.');
  if (dlq.fifo !== c.fifo) throw bad(`Dead-letter queue must be same type of queue as the source.`);
}

function checkRedriveAllow(value: string): void {
  const p = checkJson('RedriveAllowPolicy', value);
  const permission = p.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw invalidAttributeValue('RedriveAllowPolicy', 'redrivePermission must be allowAll, denyAll or byQueue.');
  }
  const arns = p.sourceQueueArns;
  if (permission === 'byQueue') {
    if (!Array.isArray(arns) || arns.length < 1 || arns.length > 10) throw invalidAttributeValue('RedriveAllowPolicy', 'byQueue needs 1 to 10 sourceQueueArns.');
    for (const a of arns) parseQueueArn(String(a), 'RedriveAllowPolicy');
  } else if (arns !== undefined) {
    throw invalidAttributeValue('RedriveAllowPolicy', 'sourceQueueArns is only valid with byQueue.');
  }
}

/** Whether a RedriveAllowPolicy lets `sourceArn` use this queue as its dead-letter queue. */
export function redriveAllowed(allowPolicy: string | undefined, sourceArn: string): boolean {
  if (!allowPolicy) return true;
  const p = JSON.parse(allowPolicy) as { redrivePermission: string; sourceQueueArns?: string[] };
  if (p.redrivePermission === 'denyAll') return false;
  if (p.redrivePermission === 'byQueue') return (p.sourceQueueArns ?? []).includes(sourceArn);
  return true;
}
