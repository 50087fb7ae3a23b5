/** EventBridge Scheduler operations, typed from @aws-sdk/client-scheduler (types only). */
import type * as Sdk from '@aws-sdk/client-scheduler';
import type { OperationsOf } from '../../protocol/operations.ts';

export type SchedulerOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'scheduler'>,
// CallInput<'scheduler', 'Op'> / CallOutput<'scheduler', 'Op'> and env.call('scheduler', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    scheduler: SchedulerOperations;
  }
}
