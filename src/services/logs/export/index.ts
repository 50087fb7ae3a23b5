/**
 * CloudWatch Logs export tasks: CreateExportTask / DescribeExportTasks / CancelExportTask, and the
 * background runner that writes the objects. Wiring: `createExportTasks(...)` once at start-up,
 * `exportTaskHandlers(x.deps)` into the Logs handlers, `x.start()` when serving, `x.close()` on shutdown.
 */
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { LogsMetaRepo } from '../../../store/meta/logs.ts';
import { ExportTaskStore } from '../../../store/meta/export-tasks.ts';
import type { LogEventStore } from '../../../store/telemetry/log-events.ts';
import type { KeyStore } from '../../../store/keys/key-store.ts';
import { checkExportConfig, type ExportConfig } from '../../../config/bucket-map.ts';
import { cancelExportTask, createExportTask, describeExportTasks, type ExportTaskDeps } from './handlers.ts';
import { ExportRunner, type ExportRunnerOptions } from './runner.ts';
import { exportDestinationsFrom } from '../../../store/buckets/sinks.ts';
import type { ServiceHandlersFor } from '../../../protocol/operations.ts';

export type { ExportTaskDeps } from './handlers.ts';
export { ExportRunner } from './runner.ts';
export { ExportDestinations, FileSink, S3Sink } from '../../../store/buckets/sinks.ts';

export type ExportTaskHandlers = ServiceHandlersFor<'logs', 'CreateExportTask' | 'DescribeExportTasks' | 'CancelExportTask'>;

export function exportTaskHandlers(deps: ExportTaskDeps): ExportTaskHandlers {
  return {
    CreateExportTask: (ctx, input) => createExportTask(deps, ctx, input),
    DescribeExportTasks: (ctx, input) => describeExportTasks(deps, ctx, input),
    CancelExportTask: (ctx, input) => cancelExportTask(deps, ctx, input),
  };
}

export interface ExportTasks {
  deps: ExportTaskDeps;
  runner: ExportRunner;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createExportTasks(opts: {
  db: Sql;
  meta: LogsMetaRepo;
  events: LogEventStore;
  /** The Logs service's key store: exports of encrypted groups are written in plain text, as AWS does. */
  keys: KeyStore;
  config: ExportConfig;
  clock: Clock;
  log: Logger;
  runner?: Partial<Pick<ExportRunnerOptions, 'leaseMs' | 'pollMs' | 'concurrency' | 'maxAttempts' | 'pageSize' | 'maxObjectBytes'>>;
}): ExportTasks {
  checkExportConfig(opts.config);
  const tasks = new ExportTaskStore(opts.db);
  const destinations = exportDestinationsFrom(opts.config);
  const runner = new ExportRunner({
    ...opts.runner,
    tasks,
    meta: opts.meta,
    events: opts.events,
    keys: opts.keys,
    destinations,
    clock: opts.clock,
    log: opts.log,
  });
  return {
    deps: { meta: opts.meta, tasks, destinations, runner },
    runner,
    start: () => runner.start(),
    close: async () => {
      await runner.close();
      await destinations.close();
    },
  };
}
