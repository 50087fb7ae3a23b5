import { randomUUID } from 'node:crypto';
import type { ExportTask } from '@aws-sdk/client-cloudwatch-logs';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { LogsMetaRepo } from '../../../store/meta/logs.ts';
import type { ExportTaskRecord, ExportTaskRepo } from '../../../store/meta/export-tasks.ts';
import { groupNotFound, required } from '../names.ts';
import { decodeToken, encodeToken } from '../pagination.ts';
import { WRITE_TEST_BODY, effectivePrefix, writeTestKey } from './layout.ts';
import { STATUS_MESSAGES } from './runner.ts';
import type { ExportDestinations } from '../../../store/buckets/sinks.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

/** What the export-task handlers need; injected so tests can swap pieces. */
export interface ExportTaskDeps {
  meta: Pick<LogsMetaRepo, 'getGroup'>;
  tasks: ExportTaskRepo;
  destinations: Pick<ExportDestinations, 'sink'>;
  /** Told about new tasks so they start at once rather than at the next poll. */
  runner?: { wake(): void };
}

/** S3's limit on a whole object key; the prefix must leave room for it. */
const MAX_PREFIX_BYTES = 1024;
/** CreateExportTask answers only after the write test; a dead endpoint must not hang it. */
const WRITE_TEST_TIMEOUT_MS = 30_000;

const limitExceeded = () => new ServiceError('LimitExceededException', 'Resource limit exceeded.');

/**
 * AWS's wording first (clients match on it), then how to make the bucket exist here: Osprey only
 * exports to buckets the operator mapped, as PutSubscriptionFilter says for unmapped targets.
 */
const unmappedBucket = (bucket: string) =>
  new ServiceError(
    'InvalidParameterException',
    'The given bucket does not exist. Please make sure the bucket is valid. ' +
      `Osprey has no destination for bucket "${bucket}": map it to file:///absolute/dir or s3://bucket[@http(s)://endpoint] ` +
      'in the config file (export.buckets) or in OSPREY_EXPORT_BUCKETS.',
  );

export async function createExportTask(deps: ExportTaskDeps, ctx: Ctx, input: CallInput<'logs', 'CreateExportTask'>): Promise<CallOutput<'logs', 'CreateExportTask'>> {
  const from = required(input.from, 'from');
  const to = required(input.to, 'to');
  const destination = required(input.destination, 'destination');
  if (from > to) {
    throw new ServiceError(
      'InvalidParameterException',
      `Specified time range of ${from} and ${to} is not valid. ` +
        'Please make sure the values are within the retention period of the log group and from value is less than the to value.',
    );
  }
  const prefix = input.destinationPrefix === undefined || input.destinationPrefix === '' ? null : input.destinationPrefix;
  if (prefix !== null && Buffer.byteLength(prefix, 'utf8') > MAX_PREFIX_BYTES) {
    throw new ServiceError('InvalidParameterException', `destinationPrefix must be at most ${MAX_PREFIX_BYTES} bytes (the S3 object key limit).`);
  }
  const key = { account: ctx.account, region: ctx.region, name: required(input.logGroupName, 'logGroupName') };
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();
  // Only buckets the operator mapped to a directory or an S3 endpoint exist here.
  const sink = deps.destinations.sink(destination);
  if (!sink) throw unmappedBucket(destination);
  if (await deps.tasks.hasActive(ctx.account, ctx.region)) throw limitExceeded();

  // Like CloudWatch Logs, prove the destination is writable before accepting the task.
  try {
    await sink.put(writeTestKey(prefix), Buffer.from(WRITE_TEST_BODY), AbortSignal.timeout(WRITE_TEST_TIMEOUT_MS));
  } catch (e) {
    ctx.log.warn({ err: e, destination }, 'export write test failed');
    throw new ServiceError(
      'InvalidParameterException',
      `The write test to the given bucket failed (${e instanceof Error ? e.message : String(e)}). ` +
        'Please make sure the bucket is valid and writable with the configured credentials.',
    );
  }

  const taskId = randomUUID();
  const inserted = await deps.tasks.insert({
    taskId,
    account: ctx.account,
    region: ctx.region,
    taskName: input.taskName ?? null,
    logGroup: key.name,
    logStreamPrefix: input.logStreamNamePrefix ?? null,
    from,
    to,
    destination,
    destinationPrefix: prefix,
    createdAt: ctx.clock.now(),
  }, STATUS_MESSAGES.PENDING);
  // A concurrent CreateExportTask can win between the check above and this insert.
  if (inserted === 'limit') throw limitExceeded();
  deps.runner?.wake();
  return { taskId };
}

const isPositionToken = (v: unknown): v is { b: number } =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as { b?: unknown }).b);

export async function describeExportTasks(deps: ExportTaskDeps, ctx: Ctx, input: CallInput<'logs', 'DescribeExportTasks'>): Promise<CallOutput<'logs', 'DescribeExportTasks'>> {
  const limit = input.limit ?? 50;
  const before = input.nextToken !== undefined ? decodeToken(input.nextToken, isPositionToken).b : undefined;
  // One extra row tells whether another page exists.
  const page = await deps.tasks.list({
    account: ctx.account,
    region: ctx.region,
    taskId: input.taskId,
    status: input.statusCode,
    before,
    limit: limit + 1,
  });
  const tasks = page.tasks.slice(0, limit);
  return {
    exportTasks: tasks.map(describeTask),
    nextToken: page.tasks.length > limit ? encodeToken({ b: page.positions[limit - 1] }) : undefined,
  };
}

export function describeTask(t: ExportTaskRecord): ExportTask {
  return {
    taskId: t.taskId,
    taskName: t.taskName ?? undefined,
    logGroupName: t.logGroup,
    from: t.from,
    to: t.to,
    destination: t.destination,
    destinationPrefix: effectivePrefix(t.destinationPrefix),
    status: { code: t.status, message: t.statusMessage ?? undefined },
    executionInfo: { creationTime: t.createdAt, completionTime: t.completedAt ?? undefined },
  };
}

export async function cancelExportTask(deps: ExportTaskDeps, ctx: Ctx, input: CallInput<'logs', 'CancelExportTask'>): Promise<CallOutput<'logs', 'CancelExportTask'>> {
  const r = await deps.tasks.cancel(ctx.account, ctx.region, required(input.taskId, 'taskId'), ctx.clock.now(), STATUS_MESSAGES.CANCELLED);
  if (r === 'missing') throw new ServiceError('ResourceNotFoundException', 'The specified export task does not exist.');
  if (r === 'finished') throw new ServiceError('InvalidOperationException', 'The specified export task has already finished');
  return {};
}
