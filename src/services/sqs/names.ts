/** Queue names, URLs and ARNs, receipt handles, and SQS's error messages. */
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';

export interface QueueKey {
  account: string;
  region: string;
  name: string;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

export function checkQueueName(name: string, fifo: boolean): void {
  if (fifo ? !FIFO_NAME.test(name) : !NAME.test(name)) {
    throw invalidParameterValue(
      fifo
        ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
        : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
}

export const partitionOf = (region: string): string =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

export const queueArn = (k: QueueKey): string => `arn:${partitionOf(k.region)}:sqs:${k.region}:${k.account}:${k.name}`;

export function queueUrl(publicUrl: string, k: QueueKey): string {
  return `${publicUrl.replace(/\/+$/, '')}/${k.account}/${k.name}`;
}

/**
 * The queue a QueueUrl names: its last two path segments are the owner account and the name (the
 * host is whatever the client reached this server at: an SDK endpoint override, a proxy, AWS's
 * `sqs.<region>.amazonaws.com` form). The region is the caller's, as on AWS.
 */
/** Every message call names its queue by URL: parsed once per (region, URL). */
const parsedUrls = new Map<string, QueueKey>();
const PARSED_URLS_MAX = 10_000;

export function parseQueueUrl(ctx: Ctx, url: string): QueueKey {
  const id = `${ctx.region} ${url}`;
  let key = parsedUrls.get(id);
  if (key === undefined) {
    key = Object.freeze(parseUrl(ctx.region, url));
    if (parsedUrls.size >= PARSED_URLS_MAX) parsedUrls.clear();
    parsedUrls.set(id, key);
  }
  return key;
}

function parseUrl(region: string, url: string): QueueKey {
  let path = url;
  if (/^[a-z]+:\/\//i.test(url)) {
    try {
      path = new URL(url).pathname;
    } catch {
      throw invalidAddress(url);
    }
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length !== 2 || !/^\d{12}$/.test(parts[0]!)) throw invalidAddress(url);
  return { account: parts[0]!, region, name: decodeURIComponent(parts[1]!) };
}

export function parseQueueArn(arn: string, param: string): QueueKey {
  const m = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,80})$/.exec(arn);
  if (!m) throw invalidParameterValue(`Value ${arn} for parameter ${param} is invalid. Reason: Invalid queue ARN.`);
  return { region: m[1]!, account: m[2]!, name: m[3]! };
}

/** A receipt handle: which queue, which message row, and which receive of it. Opaque to clients. */
export interface Receipt {
  queueId: number;
  seq: number;
  token: string;
}

export const encodeReceipt = (r: Receipt): string => Buffer.from(`${r.queueId}:${r.seq}:${r.token}`, 'utf8').toString('base64');

export function decodeReceipt(handle: string): Receipt {
  const text = Buffer.from(handle, 'base64').toString('utf8');
  const m = /^(\d+):(\d+):([0-9a-f]{16})$/.exec(text);
  if (!m || Buffer.from(text, 'utf8').toString('base64') !== handle) {
    throw new ServiceError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  }
  return { queueId: Number(m[1]), seq: Number(m[2]), token: m[3]! };
}

export const invalidParameterValue = (message: string): ServiceError => new ServiceError('InvalidParameterValue', message);

export const invalidAddress = (url: string): ServiceError =>
  new ServiceError('InvalidAddress', `The address ${url} is not valid for this endpoint.`, { status: 404 });

export const queueDoesNotExist = (): ServiceError =>
  new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.');

export const missingParameter = (name: string): ServiceError =>
  new ServiceError('MissingParameter', `The request must contain the parameter ${name}.`);

export const invalidBatchValue = (name: string, value: unknown, reason: string): ServiceError =>
  invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);

/** Page tokens for ListQueues / ListDeadLetterSourceQueues: the last name returned. */
export const encodeToken = (after: string): string => Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64');

export function decodeToken(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof v.after === 'string') return v.after;
  } catch {
    // fall through
  }
  throw invalidParameterValue('Invalid NextToken value.');
}
