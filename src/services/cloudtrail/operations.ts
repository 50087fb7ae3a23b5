/** CloudTrail operations, typed from @aws-sdk/client-cloudtrail (types only). */
import type * as Sdk from '@aws-sdk/client-cloudtrail';
import type { OperationsOf } from '../../protocol/operations.ts';

export type CloudTrailOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'cloudtrail'>,
// CallInput<'cloudtrail', 'Op'> / CallOutput<'cloudtrail', 'Op'> and env.call('cloudtrail', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    cloudtrail: CloudTrailOperations;
  }
}
