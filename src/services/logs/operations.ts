/** CloudWatch Logs operations, typed from @aws-sdk/client-cloudwatch-logs (types only). */
import type * as Sdk from '@aws-sdk/client-cloudwatch-logs';
import type { HandlerTable, OperationsOf } from '../../protocol/operations.ts';

export type LogsOperations = OperationsOf<typeof Sdk>;
export type LogsHandlers = HandlerTable<LogsOperations>;

// Registers this service's operations for typed internal calls (env.call('logs', …)).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    logs: LogsOperations;
  }
}
