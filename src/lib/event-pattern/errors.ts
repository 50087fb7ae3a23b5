/** A refused event pattern; `message` is the text EventBridge puts in InvalidEventPatternException. */
export class InvalidEventPattern extends Error {
  override name = 'InvalidEventPattern';
}

/** AWS wraps every compiler reason (event-ruler's text) in this sentence. */
export const REASON_PREFIX = 'Event pattern is not valid. Reason: ';

export function invalid(reason: string): never {
  throw new InvalidEventPattern(REASON_PREFIX + reason);
}
