/** SNS operations, typed from @aws-sdk/client-sns (types only). */
import type * as Sdk from '@aws-sdk/client-sns';
import type { HandlerTable, In, OperationsOf, Out } from '../../protocol/operations.ts';

export type SnsOperations = OperationsOf<typeof Sdk>;
export type SnsHandlers = HandlerTable<SnsOperations>;

/** Input / output of one SNS operation, for handler signatures (the same types the table checks). */
export type SnsInput<K extends keyof SnsOperations> = In<SnsOperations, K>;
export type SnsOutput<K extends keyof SnsOperations> = Out<SnsOperations, K>;

// Registers this service's operations for typed internal calls (env.call('sns', …)).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    sns: SnsOperations;
  }
}
