/** Firehose operations, typed from @aws-sdk/client-firehose (types only). */
import type * as Sdk from '@aws-sdk/client-firehose';
import type { OperationsOf } from '../../protocol/operations.ts';

export type FirehoseOperations = OperationsOf<typeof Sdk>;

declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    firehose: FirehoseOperations;
  }
}
