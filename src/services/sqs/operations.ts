/** SQS operations, typed from @aws-sdk/client-sqs (types only). */
import type * as Sdk from '@aws-sdk/client-sqs';
import type { OperationsOf } from '../../protocol/operations.ts';

export type SqsOperations = OperationsOf<typeof Sdk>;

declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    sqs: SqsOperations;
  }
}
