/** CloudWatch (metrics, alarms, dashboards) operations, typed from @aws-sdk/client-cloudwatch (types only). */
import type * as Sdk from '@aws-sdk/client-cloudwatch';
import type { HandlerTable, OperationsOf } from '../../protocol/operations.ts';

export type CloudWatchOperations = OperationsOf<typeof Sdk>;
export type CloudWatchHandlers = HandlerTable<CloudWatchOperations>;

// Registers this service's operations for typed internal calls (env.call('cloudwatch', …)).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    cloudwatch: CloudWatchOperations;
  }
}
