/**
 * The service-module contract. Each `src/services/<service>/module.ts` exports one factory,
 * `create<Service>(env)`, returning a ServiceModule; the server (app.ts) is a loop over the list in
 * modules.ts. A module gets everything shared through `env` and meets other services only through
 * `env.call` (an operation, validated like a wire request) and `env.bus` (typed facts).
 */
import type { OspreyConfig } from '../config/config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { DeliveryHandler } from '../jobs/delivery-worker.ts';
import type { CallableService, CallInput, CallOutput, HandlerTable, OperationName, ServiceOperations } from '../protocol/operations.ts';
import type { AuditSink } from '../protocol/audit.ts';
import type { ServiceError } from '../protocol/errors.ts';
import type { Ctx } from '../protocol/service.ts';
import type { KeyStore } from '../store/keys/key-store.ts';
import type { MetaChanges } from '../store/meta/changes.ts';
import type { LeaseStore } from '../store/meta/leases.ts';
import type { NodeStore } from '../store/meta/nodes.ts';
import type { OutboxRepo } from '../store/meta/outbox.ts';
import type { Migration } from '../store/meta/db.ts';
import type { MetaDb } from '../store/meta/sql/types.ts';
import type { Telemetry } from '../store/telemetry/index.ts';
import type { TelemetryScope } from '../store/telemetry/scope.ts';
import type { Bus } from './facts.ts';

/**
 * An operation called from inside the process: the input is validated against the model exactly as
 * a wire request's is (no encoding), then the handler runs. Errors are ServiceErrors, as on the wire.
 */
export type InternalCall = <S extends CallableService, K extends OperationName<S>>(
  service: S, operation: K, ctx: Ctx, input: CallInput<S, K>,
) => Promise<CallOutput<S, K>>;

/** What the wire would refuse in this input (the first violation), without running anything. */
export type InternalCheck = <S extends CallableService, K extends OperationName<S>>(
  service: S, operation: K, input: CallInput<S, K>,
) => ServiceError | undefined;

/** The shared kernel every module factory gets. */
export interface Env {
  config: OspreyConfig;
  clock: Clock;
  log: Logger;
  dataDir: string;
  /**
   * The metadata store: SQLite in the data directory, or PostgreSQL (`metadata.url`) shared by
   * several nodes. Repositories write portable SQL (docs/metadata-store.md).
   */
  db: MetaDb;
  /**
   * Applies a module's own schema steps to `db` (once each, in id order, recorded per module);
   * await it at the top of the factory, before the module's repositories run anything.
   */
  migrate(module: string, migrations: readonly Migration[]): Promise<void>;
  /**
   * "Metadata changed" signals for in-memory copies of metadata: publish after a committed write,
   * subscribe to drop the copy. Reaches every node sharing the metadata store (store/meta/changes.ts).
   */
  changes: MetaChanges;
  /** This process's id among the nodes sharing the metadata store (lease owner, logs, /metrics). */
  nodeId: string;
  /** Named leases for work that runs on one node at a time (jobs/leased-task.ts). */
  leases: LeaseStore;
  /** The nodes' heartbeats (store/meta/nodes.ts): who is alive, and what a lost node held. */
  nodes: NodeStore;
  /** The telemetry store's front door (log events, metric points and reads, audit). */
  telemetry: Telemetry;
  /** Whose telemetry this node reads: its own embedded store, or a server shared by every node. */
  telemetryScope: TelemetryScope;
  /** Encryption at rest: per-KMS-key data keys under `<data>/keys`. */
  keys: KeyStore;
  /** Typed facts between services (server/facts.ts). */
  bus: Bus;
  /** Durable deliveries: rows written in the request's transaction, sent by the kernel's DeliveryWorker. */
  outbox: OutboxRepo;
  /** scheme://host:port clients reach this server at; known once listening (port 0 in tests). */
  publicUrl(): string;
  call: InternalCall;
  check: InternalCheck;
  /** A ctx for work a service does on its own behalf (alarm actions, the EMF agent): no access key. */
  serviceCtx(scope: { account: string; region: string; principalArn: string }): Ctx;
}

/** Background work, started after every module is built and stopped (in reverse) before the stores close. */
export interface Job {
  name: string;
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

/** An extra HTTP route outside the AWS protocols (SNS's public links, OTLP). */
export interface HttpRoute {
  method: 'GET' | 'POST';
  /** Path prefix, e.g. `/_osprey/sns/`. */
  prefix: string;
  /**
   * 'sigv4': only requests signed with a configured key reach handle(), with the signer's identity
   * (AWS's OTLP endpoints require SigV4); others are answered 403. Default: served unsigned.
   */
  auth?: 'sigv4';
  handle(pathAndQuery: string, body: Buffer, request: RouteRequest): Promise<{ status: number; headers: Record<string, string>; body: string | Buffer }>;
}

export interface RouteRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The verified signer, for `auth: 'sigv4'` routes. */
  identity?: { accountId: string; region: string; accessKeyId: string; principalArn: string };
}

/** A side-channel listener (the EMF TCP/UDP port): started before the HTTP port, closed first. */
export interface Listener {
  name: string;
  start(): Promise<void>;
  /** Stops taking input and stores what was already received. */
  close(): Promise<void>;
}

export interface ServiceModule<S extends CallableService> {
  name: S;
  handlers: HandlerTable<ServiceOperations[S]>;
  /** Outbox topics this module delivers (the kernel's DeliveryWorker calls them). */
  deliveries?: DeliveryHandler[];
  jobs?: Job[];
  routes?: HttpRoute[];
  listeners?: Listener[];
  /**
   * Receives every API call (any service, success or error) before it is answered; the answer waits
   * for the returned promise, so a recorder that resolves once the record is durable never loses one.
   */
  recorder?: AuditSink;
  /** Shutdown, first step: end long-lived responses (live tail) so in-flight requests can finish. */
  drain?(): void;
  /** Shutdown, after the jobs stopped and before the stores close. */
  close?(): void | Promise<void>;
}

/** A module of any served service (a union, so each keeps its own handler table type). */
export type AnyServiceModule = { [S in CallableService]: ServiceModule<S> }[CallableService];

/** One line of the module list. */
export type ModuleFactory = (env: Env) => AnyServiceModule | Promise<AnyServiceModule>;
