/** CloudWatch Synthetics operations, typed from @aws-sdk/client-synthetics (types only). */
import type * as Sdk from '@aws-sdk/client-synthetics';
import type { OperationsOf } from '../../protocol/operations.ts';

export type SyntheticsOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'synthetics'>,
// CallInput<'synthetics', 'Op'> / CallOutput<'synthetics', 'Op'> and env.call('synthetics', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    synthetics: SyntheticsOperations;
  }
}
