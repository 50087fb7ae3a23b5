/**
 * Operation types derived from the AWS SDK v3 client packages, so a handler table is checked by the
 * compiler: a misspelled operation name, a wrong input member or an output member the model does not
 * have is a type error. Only types are imported; nothing here exists at run time.
 *
 * Every generated SDK command class `XCommand` carries its input (`input`) and its output (the
 * `output` of the handler its middleware stack resolves to); `OperationsOf<typeof import(pkg)>`
 * maps each operation name X to that pair.
 */
import type { Ctx } from './service.ts';
import type { ServiceName } from './models/index.ts';

type CommandTypes<C> = C extends abstract new (...a: never[]) => {
  input: infer I;
  resolveMiddleware(...a: never[]): (...b: never[]) => Promise<{ output: infer O }>;
} ? { input: I; output: Omit<O, '$metadata'> } : never;

/** Operation name → { input, output } for one SDK client package's module namespace. */
export type OperationsOf<Module> = {
  [K in keyof Module as K extends `${infer Op}Command` ? (CommandTypes<Module[K]> extends never ? never : Op) : never]: CommandTypes<Module[K]>;
};

/** The shape every operation map has. */
export type OperationMap = Record<string, { input: unknown; output: unknown }>;

/** A handler of one operation: domain values in (model member names, Date timestamps, Uint8Array blobs). */
export type OperationHandler<I, O> = (ctx: Ctx, input: I) => Promise<O> | O;

/** A (partial) handler table for a service: keys must be operation names of that service. */
export type HandlerTable<Ops extends OperationMap> = {
  [K in keyof Ops]?: OperationHandler<Ops[K]['input'], Ops[K]['output']>;
};

/** Input / output of one operation, for handler function signatures. */
export type In<Ops extends OperationMap, K extends keyof Ops> = Ops[K]['input'];
export type Out<Ops extends OperationMap, K extends keyof Ops> = Ops[K]['output'];

/**
 * Service name → its operation map. Empty here: each service's operations.ts adds its own entry by
 * declaration merging (`declare module … { interface ServiceOperations { logs: LogsOperations } }`),
 * so typed internal calls (`env.call('sns', 'Publish', …)`) know every served service while the
 * protocol layer imports none of them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty on purpose: each service's operations.ts merges its entry in
export interface ServiceOperations {}

/** A service that has registered its operation map (and has a model). */
export type CallableService = keyof ServiceOperations & ServiceName;
/** The operation names of one service. */
export type OperationName<S extends CallableService> = keyof ServiceOperations[S] & string;
type OpOf<S extends CallableService, K extends OperationName<S>> = ServiceOperations[S][K];
/** Input / output of one operation of one service. */
export type CallInput<S extends CallableService, K extends OperationName<S>> = OpOf<S, K> extends { input: infer I } ? I : never;
export type CallOutput<S extends CallableService, K extends OperationName<S>> = OpOf<S, K> extends { output: infer O } ? O : never;
/** A served service's (partial) handler table. */
export type ServiceHandlers<S extends CallableService> = HandlerTable<ServiceOperations[S]>;
/** The handlers of some operations of a service, all present (a feature's slice of the table). */
export type ServiceHandlersFor<S extends CallableService, K extends OperationName<S>> = Required<Pick<ServiceHandlers<S>, K>>;
