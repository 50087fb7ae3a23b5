/** EventBridge Schemas operations, typed from @aws-sdk/client-schemas (types only). */
import type * as Sdk from '@aws-sdk/client-schemas';
import type { OperationsOf } from '../../protocol/operations.ts';

export type SchemasOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'schemas'>,
// CallInput<'schemas', 'Op'> / CallOutput<'schemas', 'Op'> and env.call('schemas', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    schemas: SchemasOperations;
  }
}
