/**
 * The shared kernel every service module is built from: the data directory (locked), the metadata
 * and telemetry stores, keys, the bus, the outbox, the API-call recorders and internal calls.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { OspreyConfig } from '../config/config.ts';
import type { Clock } from '../lib/clock.ts';
import { EventBus } from '../lib/event-bus.ts';
import { requestId } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import { persistentId } from '../lib/persistent-id.ts';
import type { AuditSink } from '../protocol/audit.ts';
import { KeyStore } from '../store/keys/key-store.ts';
import { MetaChangeSignal } from '../store/meta/changes.ts';
import { LeaseStore } from '../store/meta/leases.ts';
import { releaseDeadClaims, processPrefixOf } from '../store/meta/dead-claims.ts';
import { NODE_HOME_FILE, NodeStore } from '../store/meta/nodes.ts';
import { OutboxStore } from '../store/meta/outbox.ts';
import { migrateModuleOn } from '../store/meta/sql/migrate.ts';
import { openMetaDb } from '../store/meta/sql/open.ts';
import { openTelemetry, type TelemetryOptions } from '../store/telemetry/index.ts';
import { telemetryScope } from '../store/telemetry/scope.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { StartupError } from './startup-error.ts';
import type { Fact } from './facts.ts';
import { internalCalls, type HandlerRegistry } from './internal-calls.ts';
import type { Env } from './module.ts';

export interface Kernel {
  env: Env;
  /** Filled in by the module loop; the engine and internal calls read it. */
  handlers: HandlerRegistry;
  /** Every API call: handed to the modules' recorders (awaited) and published as an `api.called` fact. */
  audit: AuditSink;
  /** Set by the module loop: the modules that record API calls (CloudTrail). */
  setRecorders(recorders: AuditSink[]): void;
  /** Set once the HTTP port is known (port 0 in tests), unless the config names one. */
  setPublicUrl(url: string): void;
  /** Closes what the kernel opened, last: telemetry, metadata, the data-directory lock. */
  close(): Promise<void>;
}

/** host:pid:random — unique among live nodes, readable in lease tables and logs. */
function nodeId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** What the kernel reports to self-monitoring (src/server/self-metrics/) while it opens the stores. */
export interface KernelObservers {
  ingest?: TelemetryOptions['observe'];
}

export async function openKernel(config: OspreyConfig, clock: Clock, log: Logger, observers: KernelObservers = {}): Promise<Kernel> {
  mkdirSync(config.dataDir, { recursive: true });
  // Before any store opens: a second server on this directory stops here with one clear line.
  const dirLock = lockDataDir(config.dataDir);
  const db = await openMetaDb({ url: config.metadata.url, dataDir: config.dataDir, fsync: config.fsync }).catch((err: Error) => {
    throw config.metadata.url ? new StartupError(`metadata store: ${err.message}; check metadata.url / OSPREY_METADATA_URL`, { cause: err }) : err;
  });
  // One process per SQLite data directory (the lock above): leases still in the table belong to
  // processes that are gone, and this one need not wait for them to expire.
  // The same holds for node heartbeats: a crashed predecessor is not a lost cluster node.
  const nodes = new NodeStore(db, persistentId(join(config.dataDir, NODE_HOME_FILE)));
  if (db.dialect === 'sqlite') {
    await db.run('UPDATE leases SET expires_at = 0');
    await nodes.clear();
  }
  const telemetry = await openTelemetry(
    config.telemetry.kind === 'chdb' ? { kind: 'chdb', path: join(config.dataDir, 'telemetry'), fsync: config.fsync } : config.telemetry,
    {
      walDir: join(config.dataDir, 'wal'), fsync: config.fsync,
      logger: (level, msg, err) => log[level]({ err, component: 'ingest' }, msg),
      observe: observers.ingest,
    },
  );
  const bus = new EventBus<Fact>();
  // Committed points reach alarm evaluation (and any later consumer) as a fact, within the append's turn.
  telemetry.metricPoints.onAppend((points) => bus.publish({ kind: 'metrics.appended', points }));
  let recorders: AuditSink[] = [];
  const handlers: HandlerRegistry = {};
  let publicUrl = config.publicUrl;
  const id = nodeId();
  // On a shared store: this data directory's earlier process is dead (its lock is ours) — its leased
  // work moves to this node now rather than after a lease period.
  const predecessors = db.dialect === 'sqlite' ? [] : await nodes.takeOver(id);
  const released = await releaseDeadClaims(db, db.dialect === 'sqlite' ? 'all' : predecessors.map(processPrefixOf));
  if (predecessors.length > 0 || released.outbox + released.timers + released.exports > 0) {
    log.info({ predecessors, ...released }, 'took over the work this data directory\'s previous process had claimed');
  }
  const changes = new MetaChangeSignal(db, id, (err, what) => log.warn({ err }, `metadata change signal: ${what} failed`));
  // Before any request is served: a change another node makes from now on reaches this node's caches.
  await changes.ready();
  const env: Env = {
    config, clock, log, db, telemetry, bus,
    telemetryScope: telemetryScope(config.telemetry.kind, config.dataDir),
    dataDir: config.dataDir,
    migrate: (module, migrations) => migrateModuleOn(db, module, migrations),
    keys: KeyStore.open(config.dataDir),
    outbox: new OutboxStore(db),
    changes,
    nodeId: id,
    leases: new LeaseStore(db),
    nodes,
    publicUrl: () => publicUrl,
    ...internalCalls(handlers),
    serviceCtx: (scope) => ({ ...scope, accessKeyId: '', requestId: requestId(), clock, log }),
  };
  return {
    env,
    handlers,
    audit: {
      record(r) {
        if (bus.has('api.called')) bus.publish({ kind: 'api.called', record: r });
        if (recorders.length === 1) return recorders[0]!.record(r);
        if (recorders.length > 1) return Promise.all(recorders.map((x) => x.record(r))).then(() => undefined);
      },
    },
    setRecorders: (list) => {
      recorders = list;
    },
    setPublicUrl: (url) => {
      if (publicUrl === '') publicUrl = url;
    },
    async close() {
      await telemetry.close();
      changes.close();
      await db.close();
      dirLock.release();
    },
  };
}
