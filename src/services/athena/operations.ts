/** Athena operations, typed from @aws-sdk/client-athena (types only). */
import type * as Sdk from '@aws-sdk/client-athena';
import type { OperationsOf } from '../../protocol/operations.ts';

export type AthenaOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'athena'>,
// CallInput<'athena', 'Op'> / CallOutput<'athena', 'Op'> and env.call('athena', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    athena: AthenaOperations;
  }
}
