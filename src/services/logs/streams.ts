import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { LogsDeps } from './deps.ts';
import { groupKey, groupNotFound, logStreamArn, required, streamNotFound } from './names.ts';
import { decodeToken, encodeToken } from './pagination.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

export async function createLogStream(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'CreateLogStream'>): Promise<CallOutput<'logs', 'CreateLogStream'>> {
  const key = { account: ctx.account, region: ctx.region, name: required(input.logGroupName, 'logGroupName') };
  const stream = required(input.logStreamName, 'logStreamName');
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();
  const created = await deps.meta.createStream(key, stream, ctx.clock.now());
  if (!created) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
  return {};
}

export async function deleteLogStream(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'DeleteLogStream'>): Promise<CallOutput<'logs', 'DeleteLogStream'>> {
  const key = { account: ctx.account, region: ctx.region, name: required(input.logGroupName, 'logGroupName') };
  const stream = required(input.logStreamName, 'logStreamName');
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();
  if (!(await deps.meta.deleteStream(key, stream))) throw streamNotFound();
  await deps.events.deleteStream(ctx.account, ctx.region, key.name, stream);
  return {};
}

/** Offset plus the query it belongs to, so a token cannot be replayed against another listing. */
interface StreamsToken {
  o: number;
  q: string;
}
const isStreamsToken = (v: unknown): v is StreamsToken =>
  typeof v === 'object' && v !== null && Number.isInteger((v as StreamsToken).o) && (v as StreamsToken).o >= 0 && typeof (v as StreamsToken).q === 'string';

export async function describeLogStreams(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'DescribeLogStreams'>): Promise<CallOutput<'logs', 'DescribeLogStreams'>> {
  const key = groupKey(ctx, input);
  const orderBy = input.orderBy ?? 'LogStreamName';
  if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
    throw new ServiceError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();
  const limit = input.limit ?? 50;
  const fingerprint = `${key.name}|${orderBy}|${input.descending ?? false}|${input.logStreamNamePrefix ?? ''}`;
  let offset = 0;
  if (input.nextToken !== undefined) {
    const t = decodeToken(input.nextToken, isStreamsToken);
    if (t.q !== fingerprint) throw new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
    offset = t.o;
  }
  const rows = await deps.meta.listStreams({
    account: key.account,
    region: key.region,
    logGroup: key.name,
    prefix: input.logStreamNamePrefix,
    orderBy,
    descending: input.descending ?? false,
    offset,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    logStreams: page.map((s) => ({
      logStreamName: s.name,
      creationTime: s.createdAt,
      firstEventTimestamp: s.firstEventTs ?? undefined,
      lastEventTimestamp: s.lastEventTs ?? undefined,
      lastIngestionTime: s.lastIngestionTime ?? undefined,
      uploadSequenceToken: String(s.uploadSequence + 1).padStart(56, '0'),
      arn: logStreamArn(ctx, key.name, s.name),
      // AWS deprecated per-stream storedBytes in 2019 and always reports 0.
      storedBytes: 0,
    })),
    nextToken: rows.length > limit ? encodeToken({ o: offset + limit, q: fingerprint }) : undefined,
  };
}
