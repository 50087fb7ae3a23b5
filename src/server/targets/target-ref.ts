/**
 * What an EventBridge target ARN is, and whether Osprey can deliver to it. Deliverable: Lambda
 * functions (POST to the URL mapped in `lambda.functions`), SNS topics, SQS queues and CloudWatch
 * Logs log groups (Osprey's own, through internal calls), event buses (this or another account: PutEvents,
 * with the target bus's policy checked), API destinations, and Kinesis / Firehose streams (Osprey's
 * own, or an external sink mapped in `streams`). Everything else is refused at PutTargets with a clear message.
 */
import { parseArn } from '../../lib/arn.ts';

export type TargetKind = 'lambda' | 'sns' | 'sqs' | 'logs' | 'event-bus' | 'api-destination' | 'kinesis' | 'firehose';

export interface TargetRef {
  kind: TargetKind;
  account: string;
  region: string;
  /** Function, topic, log group, bus or stream name; for API destinations `name/uuid`. */
  name: string;
}

const SHAPES: [string, RegExp, TargetKind][] = [
  ['lambda', /^function:([A-Za-z0-9_-]{1,64})(:[A-Za-z0-9$_-]+)?$/, 'lambda'],
  ['sns', /^([A-Za-z0-9_-]{1,256}(\.fifo)?)$/, 'sns'],
  ['sqs', /^([A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/, 'sqs'],
  ['logs', /^log-group:([^:]{1,512})(:\*)?$/, 'logs'],
  ['events', /^event-bus\/([/.\-_A-Za-z0-9]{1,256})$/, 'event-bus'],
  ['events', /^api-destination\/([.\-_A-Za-z0-9]{1,64}\/[0-9a-f-]{36})$/, 'api-destination'],
  ['kinesis', /^stream\/([A-Za-z0-9_.-]{1,128})$/, 'kinesis'],
  ['firehose', /^deliverystream\/([A-Za-z0-9_.-]{1,64})$/, 'firehose'],
];

export function targetRef(arn: string): TargetRef | undefined {
  const a = parseArn(arn);
  if (!a || !/^\d{12}$/.test(a.account) || !a.region) return undefined;
  for (const [service, re, kind] of SHAPES) {
    const m = a.service === service ? re.exec(a.resource) : null;
    if (m) return { kind, account: a.account, region: a.region, name: m[1]! };
  }
  return undefined;
}

/** Why a target ARN is refused (undefined = accepted). */
export function unsupportedTarget(arn: string): string | undefined {
  if (targetRef(arn)) return undefined;
  const service = parseArn(arn)?.service;
  if (service === undefined) return `Parameter Arn is not valid. Reason: ${arn} is not an ARN.`;
  return `Parameter Arn is not valid. Reason: Osprey cannot deliver to ${service} targets (${arn}); ` +
    'targets can be Lambda functions (mapped in lambda.functions), SNS topics, SQS queues, CloudWatch Logs log groups, event buses, ' +
    'API destinations, Kinesis streams and Firehose delivery streams.';
}
