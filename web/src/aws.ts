// The console is just another API client: the official browser SDK clients, pointed at the server
// that served the page and signed with the logged-in keys.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Session } from './session.ts';

export interface Clients {
  cw: CloudWatchClient;
  logs: CloudWatchLogsClient;
  /** StartLiveTail has the `stream-` host prefix, which a local endpoint must not get. */
  tail: CloudWatchLogsClient;
  sns: SNSClient;
  events: EventBridgeClient;
  scheduler: SchedulerClient;
  ssm: SSMClient;
  region: string;
  /** The shared endpoint/credentials, for clients a page loads on demand (e.g. Schemas). */
  config: ClientConfig;
}

export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

let cached: { session: Session; clients: Clients } | undefined;

export function clients(session: Session): Clients {
  if (cached?.session === session) return cached.clients;
  const cfg: ClientConfig = {
    endpoint: window.location.origin,
    region: session.region,
    credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
    // A console shows errors at once rather than retrying behind a spinner.
    maxAttempts: 1,
  };
  const c: Clients = {
    cw: new CloudWatchClient(cfg),
    logs: new CloudWatchLogsClient(cfg),
    tail: new CloudWatchLogsClient({ ...cfg, disableHostPrefix: true }),
    sns: new SNSClient(cfg),
    events: new EventBridgeClient(cfg),
    scheduler: new SchedulerClient(cfg),
    ssm: new SSMClient(cfg),
    region: session.region,
    config: cfg,
  };
  cached = { session, clients: c };
  return c;
}

/** Every item of a listing read through one of the SDK's paginators, stopping once `max` are in. */
export async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined, max = Infinity): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    out.push(...(items(page) ?? []));
    if (out.length >= max) break;
  }
  return out;
}

/** "Code: message" as AWS returns it, for error banners. */
export function describeError(e: unknown): { code: string; message: string } {
  const err = e as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return { code: err?.Code ?? err?.name ?? 'Error', message: err?.message ?? String(e) };
}
