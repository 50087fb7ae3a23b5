/** CloudWatch (metrics, alarms, dashboards) operations, typed from @aws-sdk/client-cloudwatch (types only). */
import type * as Sdk from '@aws-sdk/client-cloudwatch';
import type { HandlerTable, In, OperationsOf, Out } from '../../protocol/operations.ts';

export type CloudWatchOperations = OperationsOf<typeof Sdk>;
export type CloudWatchHandlers = HandlerTable<CloudWatchOperations>;

/** Input / output of one CloudWatch operation, for handler signatures (the same types the table checks). */
export type CwInput<K extends keyof CloudWatchOperations> = In<CloudWatchOperations, K>;
export type CwOutput<K extends keyof CloudWatchOperations> = Out<CloudWatchOperations, K>;

// Registers this service's operations for typed internal calls (env.call('cloudwatch', …)).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    cloudwatch: CloudWatchOperations;
  }
}
