/** SSM operations, typed from @aws-sdk/client-ssm (types only). Osprey serves the Parameter Store subset. */
import type * as Sdk from '@aws-sdk/client-ssm';
import type { OperationsOf } from '../../protocol/operations.ts';

export type SsmOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'ssm'>,
// CallInput<'ssm', 'Op'> / CallOutput<'ssm', 'Op'> and env.call('ssm', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    ssm: SsmOperations;
  }
}
