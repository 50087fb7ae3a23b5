/**
 * A rejected AlarmRule. PutCompositeAlarm reports it as a ValidationError; the message names the
 * position and what was expected, the way CloudWatch's validation messages say what is allowed.
 */
export class AlarmRuleError extends Error {
  constructor(message: string, readonly position?: number) {
    super(message);
    this.name = 'AlarmRuleError';
  }
}
