/** SNS operations, typed from @aws-sdk/client-sns (types only). */
import type * as Sdk from '@aws-sdk/client-sns';
import type { OperationsOf } from '../../protocol/operations.ts';

export type SnsOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'sns'>,
// CallInput<'sns', 'Op'> / CallOutput<'sns', 'Op'> and env.call('sns', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    sns: SnsOperations;
  }
}
