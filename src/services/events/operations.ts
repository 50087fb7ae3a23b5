/** EventBridge operations, typed from @aws-sdk/client-eventbridge (types only). */
import type * as Sdk from '@aws-sdk/client-eventbridge';
import type { OperationsOf } from '../../protocol/operations.ts';

export type EventsOperations = OperationsOf<typeof Sdk>;

// Registers the operations for typed handler tables and internal calls: ServiceHandlers<'events'>,
// CallInput<'events', 'Op'> / CallOutput<'events', 'Op'> and env.call('events', …).
declare module '../../protocol/operations.ts' {
  interface ServiceOperations {
    events: EventsOperations;
  }
}
