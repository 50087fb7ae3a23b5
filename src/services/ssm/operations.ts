/** SSM operations, typed from @aws-sdk/client-ssm (types only). Osprey serves the Parameter Store subset. */
import type * as Sdk from '@aws-sdk/client-ssm';
import type { HandlerTable, In, OperationsOf, Out } from '../../protocol/operations.ts';

export type SsmOperations = OperationsOf<typeof Sdk>;
export type SsmHandlers = HandlerTable<SsmOperations>;
export type SsmInput<K extends keyof SsmOperations> = In<SsmOperations, K>;
export type SsmOutput<K extends keyof SsmOperations> = Out<SsmOperations, K>;

// Registers this service's operations for typed internal calls (env.call('ssm', …)).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    ssm: SsmOperations;
  }
}
