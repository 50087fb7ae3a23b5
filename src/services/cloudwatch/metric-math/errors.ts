/**
 * The one error metric math throws: a bad expression (syntax, unknown function or id, wrong
 * arguments) or a documented function Osprey does not implement. The message is meant to be shown
 * to the user as is (GetMetricData puts it in the query's Messages, PutMetricAlarm in a
 * ValidationError); it says what was wrong and what is allowed.
 *
 * AWS's exact wording for these errors is not documented, so the texts here are our own.
 */
export class MetricMathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricMathError';
  }
}
