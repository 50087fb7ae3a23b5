/**
 * Delivery errors written to the destination's CloudWatchLoggingOptions log stream (when enabled),
 * in the JSON shape Firehose's error logs have, through the Logs service's PutLogEvents.
 */
import type { Env } from '../../server/module.ts';
import type { LogTarget } from './destination.ts';
import type { StreamRow } from './repo.ts';
import { streamArn } from './deps.ts';

export interface DeliveryErrorLog {
  (stream: StreamRow, target: LogTarget | undefined, destination: string, errorCode: string, message: string): void;
}

export function deliveryErrorLog(env: Env): DeliveryErrorLog {
  return (stream, target, destination, errorCode, message) => {
    if (!target) return;
    const ctx = env.serviceCtx({ account: stream.account, region: stream.region, principalArn: 'arn:aws:iam::aws:role/firehose' });
    const record = { deliveryStreamARN: streamArn(stream), destination, deliveryStreamVersionId: stream.version, message, errorCode };
    env.call('logs', 'PutLogEvents', ctx, {
      logGroupName: target.group, logStreamName: target.stream, logEvents: [{ timestamp: env.clock.now(), message: JSON.stringify(record) }],
    }).catch((err: unknown) => env.log.debug({ err, group: target.group }, 'firehose: could not write the error log'));
  };
}
