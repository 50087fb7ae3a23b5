/** Input / output of one EventBridge operation, for handler signatures. */
import type { CallInput, CallOutput, OperationName } from '../../protocol/operations.ts';

export type In<K extends OperationName<'events'>> = CallInput<'events', K>;
export type Out<K extends OperationName<'events'>> = CallOutput<'events', K>;
