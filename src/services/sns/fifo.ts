/**
 * FIFO topics (SNS developer guide, "FIFO topics"): a `.fifo` name created with FifoTopic=true;
 * every message needs a MessageGroupId and a deduplication id (given, or the SHA-256 of the body when
 * ContentBasedDeduplication is on); subscribers are FIFO SQS queues, which get the group and the
 * deduplication id with each message and so keep each group's order and drop duplicates within the
 * five-minute window. Publish answers with a SequenceNumber.
 */
import { createHash } from 'node:crypto';
import type { TopicRecord } from '../../store/meta/sns.ts';
import { invalidParameter } from './names.ts';

/** AWS: up to 128 alphanumeric characters and punctuation. */
const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export const isFifoTopic = (t: Pick<TopicRecord, 'attributes'>): boolean => t.attributes.FifoTopic === 'true';

/** CreateTopic: a `.fifo` name and FifoTopic=true go together. */
export function checkFifoName(name: string, fifo: boolean): void {
  if (name.endsWith('.fifo') !== fifo) {
    throw invalidParameter('Topic Name', 'FIFO topic names must end with .fifo and FIFO topics need the attribute FifoTopic=true');
  }
}

export function checkFifoId(name: 'MessageGroupId' | 'MessageDeduplicationId', value: string): void {
  if (!FIFO_ID.test(value)) throw invalidParameter(name, `${name} can contain up to 128 alphanumeric characters and punctuation`);
}

/** What a FIFO topic's message carries on to its queues. */
export interface FifoIds {
  groupId: string;
  dedupId: string;
}

/**
 * The group and deduplication ids of a message to this topic (undefined for a standard topic, which
 * refuses a deduplication id and takes a group id only for SQS fair queues).
 */
export function fifoIds(topic: TopicRecord, m: { MessageGroupId?: string; MessageDeduplicationId?: string; Message?: string }): FifoIds | undefined {
  if (!isFifoTopic(topic)) {
    if (m.MessageDeduplicationId !== undefined) {
      throw invalidParameter('MessageDeduplicationId', 'The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    if (m.MessageGroupId !== undefined) checkFifoId('MessageGroupId', m.MessageGroupId);
    return undefined;
  }
  if (m.MessageGroupId === undefined) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  checkFifoId('MessageGroupId', m.MessageGroupId);
  let dedupId = m.MessageDeduplicationId;
  if (dedupId === undefined) {
    if (topic.attributes.ContentBasedDeduplication !== 'true') {
      throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
    dedupId = createHash('sha256').update(m.Message ?? '', 'utf8').digest('hex');
  }
  checkFifoId('MessageDeduplicationId', dedupId);
  return { groupId: m.MessageGroupId, dedupId };
}

let lastSequence = 0n;

/** A FIFO message's SequenceNumber: 20 digits, increasing within this process (time-based, so across restarts too). */
export function nextSequenceNumber(now: number): string {
  const candidate = BigInt(now) * 1_000_000n;
  lastSequence = candidate > lastSequence ? candidate : lastSequence + 1n;
  return lastSequence.toString().padStart(20, '0');
}
