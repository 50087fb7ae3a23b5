/** AWS Health operations, typed from @aws-sdk/client-health (types only). */
import type * as Sdk from '@aws-sdk/client-health';
import type { OperationsOf } from '../../protocol/operations.ts';

export type HealthOperations = OperationsOf<typeof Sdk>;

declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    health: HealthOperations;
  }
}
