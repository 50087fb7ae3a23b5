/** What an EventBridge target receives: events as AWS builds them, and target input rendering. */
export { buildEvent, formatEventTime, scheduledEvent, withReplayName } from './event.ts';
export type { AwsEvent, EventContext, JsonObject, ScheduleContext } from './event.ts';
export { checkPutEventsEntry, validatePutEventsEntry, isJsonObjectText } from './validate-entry.ts';
export type { EntryRefusal } from './validate-entry.ts';
export { parseInputPath, evaluateInputPath, selectInputPath } from './input-path.ts';
export type { InputPath, PathStep } from './input-path.ts';
export { compileInputTransformer, PREDEFINED_VARIABLES, MAX_INPUT_PATHS } from './input-transformer.ts';
export type { CompiledTransformer, RuleContext } from './input-transformer.ts';
export { TransformerError } from './errors.ts';
export { checkTargetInput } from './check-target.ts';
export { renderTargetInput } from './render-target.ts';
export type { DeliveryContext } from './render-target.ts';
