/** X-Ray operations, typed from @aws-sdk/client-xray (types only). */
import type * as Sdk from '@aws-sdk/client-xray';
import type { OperationsOf } from '../../protocol/operations.ts';

export type XrayOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls.
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    xray: XrayOperations;
  }
}
