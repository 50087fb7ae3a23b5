/**
 * EventBridge archives and replays: the handler table, the bus listener that archives what each
 * archive's pattern matches, and the jobs (retention, replay runner). Everything is scoped by
 * (account, region); another scope's archive or replay ARN answers as one that does not exist.
 */
import type { ServiceHandlersFor } from '../../../protocol/operations.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { Job } from '../../../server/module.ts';
import { compileEventPattern } from '../../../lib/event-pattern/index.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { BusListener, Dispatcher } from '../dispatch.ts';
import type { EventsRepo } from '../repo.ts';
import { checkPattern } from '../rules.ts';
import { ArchiveStore } from './archive-repo.ts';
import { createArchive, deleteArchive, describeArchive, listArchives, updateArchive } from './archives.ts';
import type { ArchiveHandlerDeps } from './deps.ts';
import { archiveListener } from './listener.ts';
import { ReplayStore } from './replay-repo.ts';
import { ReplayRunner } from './replay-runner.ts';
import { cancelReplay, describeReplay, listReplays, startReplay } from './replays.ts';
import { ArchiveRetention } from './retention.ts';

export type ArchiveOperation = 'CreateArchive' | 'DescribeArchive' | 'UpdateArchive' | 'DeleteArchive' | 'ListArchives' | 'StartReplay' | 'DescribeReplay' | 'ListReplays' | 'CancelReplay';

export interface ArchivesDeps {
  db: Sql;
  clock: Clock;
  log: Logger;
  dispatcher: Dispatcher;
  events: EventsRepo;
}

export interface Archives {
  handlers: ServiceHandlersFor<'events', ArchiveOperation>;
  /** Sees every event a bus accepted (before the caller is answered): archives what their patterns match. */
  listener: BusListener;
  /** Retention and replay runners. */
  jobs: Job[];
}

export function createArchives(deps: ArchivesDeps): Archives {
  const archives = new ArchiveStore(deps.db);
  const replays = new ReplayStore(deps.db);
  const runner = new ReplayRunner({ archives, replays, events: deps.events, dispatcher: deps.dispatcher, clock: deps.clock, log: deps.log });
  const retention = new ArchiveRetention({ archives, replays, clock: deps.clock, log: deps.log });
  const h: ArchiveHandlerDeps = {
    archives, replays, events: deps.events, clock: deps.clock, log: deps.log, checkPattern, kick: () => runner.kick(),
  };
  return {
    handlers: {
      CreateArchive: (ctx, input) => createArchive(h, ctx, input),
      DescribeArchive: (ctx, input) => describeArchive(h, ctx, input),
      UpdateArchive: (ctx, input) => updateArchive(h, ctx, input),
      DeleteArchive: (ctx, input) => deleteArchive(h, ctx, input),
      ListArchives: (ctx, input) => listArchives(h, ctx, input),
      StartReplay: (ctx, input) => startReplay(h, ctx, input),
      DescribeReplay: (ctx, input) => describeReplay(h, ctx, input),
      ListReplays: (ctx, input) => listReplays(h, ctx, input),
      CancelReplay: (ctx, input) => cancelReplay(h, ctx, input),
    },
    listener: archiveListener({ archives, clock: deps.clock, log: deps.log, compile: compileEventPattern }),
    jobs: [retention, runner],
  };
}
