/**
 * Cutting many log events into PutLogEvents-sized batches, for internal writers that gather events
 * from elsewhere (the agent's EMF endpoint, OTLP logs) and store them through PutLogEvents.
 */
export { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, batches, type LogEventInput as InputLogEvent } from '../../lib/log-event-batches.ts';
