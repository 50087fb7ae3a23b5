/**
 * Delivery to the trail's CloudWatch Logs group (CloudWatchLogsLogGroupArn): one log event per
 * record — the record's JSON as AWS writes it, timestamped with its eventTime — in the stream
 * `<account>_CloudTrail_<region>` of the record's region, created on first use. Calls go through
 * the Logs service (env.call), so metric filters, subscriptions and Insights see the events as they
 * see any PutLogEvents.
 */
import { isServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { parseArn } from '../../../lib/arn.ts';
import type { Env } from '../../../server/module.ts';
import { logGroupNameOfArn } from '../trails/destinations.ts';
import type { Trail } from '../trails/types.ts';
import { cloudTrailRole, DeliveryError, groupBy, type Destination } from './destination.ts';
import { chunkLogEvents, type LogEventInput } from './log-chunks.ts';
import type { PendingRecord } from './read.ts';

export const logStreamName = (account: string, region: string) => `${account}_CloudTrail_${region}`;

export class LogGroupDestination implements Destination {
  readonly name = 'logs' as const;
  /** Streams known to exist (`<group ARN> <stream>`), so each is created once per process. */
  private readonly streams = new Set<string>();

  constructor(private readonly env: Pick<Env, 'call' | 'serviceCtx'>) {}

  wants(trail: Trail): boolean {
    return trail.cloudWatchLogsLogGroupArn !== undefined;
  }

  async deliver(trail: Trail, records: readonly PendingRecord[]): Promise<void> {
    const groupArn = trail.cloudWatchLogsLogGroupArn!;
    const group = logGroupNameOfArn(groupArn);
    const p = parseArn(groupArn);
    if (!group || !p) throw new DeliveryError(`CloudWatchLogsLogGroupArn ${groupArn} is not a log group ARN.`, true);
    const ctx = this.env.serviceCtx({ account: trail.account, region: p.region, principalArn: cloudTrailRole(trail.account) });
    for (const [region, list] of groupBy(records, (r) => r.region)) {
      const stream = logStreamName(trail.account, region);
      const events = list.map((r): LogEventInput => ({ timestamp: r.eventTime, message: r.json }));
      for (const chunk of chunkLogEvents(events)) await this.put(ctx, groupArn, group, stream, chunk);
    }
  }

  private async put(ctx: Ctx, groupArn: string, group: string, stream: string, events: LogEventInput[]): Promise<void> {
    const known = `${groupArn} ${stream}`;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.streams.has(known)) {
          await this.createStream(ctx, group, stream);
          this.streams.add(known);
        }
        await this.env.call('logs', 'PutLogEvents', ctx, { logGroupName: group, logStreamName: stream, logEvents: events });
        return;
      } catch (e) {
        this.streams.delete(known);
        const missing = isServiceError(e) && e.code === 'ResourceNotFoundException';
        // A stream deleted since it was created here: create it again, once.
        if (missing && /log stream/.test(e.message) && attempt === 0) continue;
        if (missing) throw new DeliveryError(`CloudWatchLogsLogGroupArn ${groupArn} does not exist: log group ${group} was not found.`, true, { cause: e });
        throw new DeliveryError(`PutLogEvents to log group ${group} failed: ${(e as Error).message}`, false, { cause: e });
      }
    }
  }

  private async createStream(ctx: Ctx, group: string, stream: string): Promise<void> {
    try {
      await this.env.call('logs', 'CreateLogStream', ctx, { logGroupName: group, logStreamName: stream });
    } catch (e) {
      if (!(isServiceError(e) && e.code === 'ResourceAlreadyExistsException')) throw e;
    }
  }
}
