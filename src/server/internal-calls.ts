/**
 * Internal calls: one service runs another's operation (alarm actions → SNS Publish, the EMF agent
 * → Logs PutLogEvents) with the same validation as a wire request and none of the encoding.
 */
import type { ServiceName } from '../protocol/models/index.ts';
import { inputError, notImplemented } from '../protocol/operation-input.ts';
import type { CallableService, CallInput, CallOutput, OperationName } from '../protocol/operations.ts';
import type { Ctx, Handler } from '../protocol/service.ts';
import type { ServiceError } from '../protocol/errors.ts';
import type { InternalCall, InternalCheck } from './module.ts';

/** The handler tables as the engine sees them; filled in as modules are built, read at call time. */
export type HandlerRegistry = Partial<Record<ServiceName, Record<string, Handler>>>;

export function internalCalls(registry: HandlerRegistry): { call: InternalCall; check: InternalCheck } {
  async function call<S extends CallableService, K extends OperationName<S>>(service: S, operation: K, ctx: Ctx, input: CallInput<S, K>): Promise<CallOutput<S, K>> {
    const refused = inputError(service, operation, input);
    if (refused) throw refused;
    const handler = registry[service]?.[operation];
    if (!handler) throw notImplemented(service, operation);
    // The registry is keyed by strings (the engine's view); the handler came from this service's typed table.
    return (await handler(ctx, input)) as CallOutput<S, K>;
  }
  function check<S extends CallableService, K extends OperationName<S>>(service: S, operation: K, input: CallInput<S, K>): ServiceError | undefined {
    return inputError(service, operation, input);
  }
  return { call, check };
}

/**
 * A typed handler table as the engine's string-keyed view. The one place the per-operation types
 * are dropped: the engine dispatches on operation names it decoded from the wire, and the model
 * has already validated each input.
 */
export function untypedTable(table: object): Record<string, Handler> {
  return table as Record<string, Handler>;
}
