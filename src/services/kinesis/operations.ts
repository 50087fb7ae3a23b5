/** Kinesis operations, typed from @aws-sdk/client-kinesis (types only). */
import type * as Sdk from '@aws-sdk/client-kinesis';
import type { OperationsOf } from '../../protocol/operations.ts';

export type KinesisOperations = OperationsOf<typeof Sdk>;

declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    kinesis: KinesisOperations;
  }
}
