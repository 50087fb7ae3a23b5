/** CloudWatch Logs operations, typed from @aws-sdk/client-cloudwatch-logs (types only). */
import type * as Sdk from '@aws-sdk/client-cloudwatch-logs';
import type { HandlerTable, In, OperationsOf, Out } from '../../protocol/operations.ts';

export type LogsOperations = OperationsOf<typeof Sdk>;
export type LogsHandlers = HandlerTable<LogsOperations>;

/** Input / output of one Logs operation, for handler signatures (the same types the table checks). */
export type LogsInput<K extends keyof LogsOperations> = In<LogsOperations, K>;
export type LogsOutput<K extends keyof LogsOperations> = Out<LogsOperations, K>;

/** A sub-table serving exactly these operations (each one must be there, spelled as the SDK does). */
export type LogsHandlersFor<K extends keyof LogsOperations> = Required<Pick<LogsHandlers, K>>;

// Registers this service's operations for typed internal calls (env.call('logs', …)).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    logs: LogsOperations;
  }
}
