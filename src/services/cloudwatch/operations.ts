/** CloudWatch (metrics, alarms, dashboards) operations, typed from @aws-sdk/client-cloudwatch (types only). */
import type * as Sdk from '@aws-sdk/client-cloudwatch';
import type { OperationsOf } from '../../protocol/operations.ts';

export type CloudWatchOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'cloudwatch'>,
// CallInput<'cloudwatch', 'Op'> / CallOutput<'cloudwatch', 'Op'> and env.call('cloudwatch', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    cloudwatch: CloudWatchOperations;
  }
}
