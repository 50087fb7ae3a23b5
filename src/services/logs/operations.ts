/** CloudWatch Logs operations, typed from @aws-sdk/client-cloudwatch-logs (types only). */
import type * as Sdk from '@aws-sdk/client-cloudwatch-logs';
import type { OperationsOf } from '../../protocol/operations.ts';

export type LogsOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'logs'>,
// CallInput<'logs', 'Op'> / CallOutput<'logs', 'Op'> and env.call('logs', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    logs: LogsOperations;
  }
}
