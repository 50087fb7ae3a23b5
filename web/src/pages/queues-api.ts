// SQS as the Queues page reads it: the client (made on first use, always sent to the console's own
// origin), each queue with its attributes, and the pieces of a queue's attributes the page shows.
import { GetQueueAttributesCommand, SQSClient, paginateListDeadLetterSourceQueues, paginateListQueues } from '@aws-sdk/client-sqs';
import type { ClientConfig } from '../aws.ts';
import { collect } from '../aws.ts';
import { usePageClient } from '../page-client.ts';

// The SDK would send queue calls to the QueueUrl's host; the console always talks to the server that
// served it (a proxy in front of the server may hand out URLs the browser cannot reach or sign for).
const makeSqs = (cfg: ClientConfig) => new SQSClient({ ...cfg, useQueueUrlAsEndpoint: false });

export const useSqs = (): SQSClient => usePageClient(makeSqs);

/** The queue's timing attributes as forms edit them: attribute, label, AWS's default and allowed range (seconds). */
export const TIMING = [
  ['VisibilityTimeout', 'Visibility timeout (seconds)', 30, 0, 43_200],
  ['MessageRetentionPeriod', 'Message retention period (seconds)', 345_600, 60, 1_209_600],
  ['DelaySeconds', 'Delivery delay (seconds)', 0, 0, 900],
  ['ReceiveMessageWaitTimeSeconds', 'Receive message wait time (seconds)', 0, 0, 20],
] as const;

export type Attributes = Partial<Record<string, string>>;

export interface QueueInfo {
  url: string;
  name: string;
  attrs: Attributes;
}

/** The name in a queue URL (its last path segment) or ARN (its last field). */
export const queueName = (urlOrArn: string): string => urlOrArn.split(/[/:]/).pop() ?? urlOrArn;

export async function queueAttributes(sqs: SQSClient, url: string): Promise<Attributes> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
}

/** Every queue of the account and region with all its attributes (one GetQueueAttributes each, in parallel). */
export async function listQueues(sqs: SQSClient): Promise<QueueInfo[]> {
  const urls = await collect(paginateListQueues({ client: sqs }, { MaxResults: 1000 }), (p) => p.QueueUrls);
  const out = await Promise.all(urls.map(async (url) => {
    try {
      return { url, name: queueName(url), attrs: await queueAttributes(sqs, url) };
    } catch {
      // Deleted between the listing and the read (AWS lists a deleted queue for up to a minute).
      return undefined;
    }
  }));
  return out.filter((q): q is QueueInfo => q !== undefined).sort((a, b) => a.name.localeCompare(b.name));
}

/** The queues whose redrive policy names this queue as their dead-letter queue (their URLs). */
export const listSourceQueues = (sqs: SQSClient, url: string): Promise<string[]> =>
  collect(paginateListDeadLetterSourceQueues({ client: sqs }, { QueueUrl: url, MaxResults: 1000 }), (p) => p.queueUrls);

export const isFifo = (a: Attributes): boolean => a.FifoQueue === 'true';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export function redrivePolicy(a: Attributes): RedrivePolicy | undefined {
  if (!a.RedrivePolicy) return undefined;
  try {
    const p = JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    return p.deadLetterTargetArn ? { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: Number(p.maxReceiveCount) } : undefined;
  } catch {
    return undefined;
  }
}

/** An SQS epoch-seconds (queue) or epoch-milliseconds (message) timestamp attribute as a Date. */
export function epoch(value: string | undefined, unit: 's' | 'ms'): Date | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  return new Date(Number(value) * (unit === 's' ? 1000 : 1));
}

/** "4 days", "30 seconds": a duration attribute as AWS's console shows it. */
export function duration(seconds: string | number | undefined): string {
  const s = Number(seconds ?? 0);
  for (const [unit, n] of [['day', 86_400], ['hour', 3_600], ['minute', 60]] as const) {
    if (s >= n && s % n === 0) return `${s / n} ${unit}${s / n === 1 ? '' : 's'}`;
  }
  return `${s} second${s === 1 ? '' : 's'}`;
}
