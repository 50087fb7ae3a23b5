/**
 * The one error the schedule module throws. Its `message` is the text AWS answers with, so a handler
 * wraps it unchanged in a ValidationException; `detail` says which part was wrong (for logs and tests,
 * never sent: AWS does not say why).
 *
 * AWS texts, with where they were found:
 *  - EventBridge PutRule: "Parameter ScheduleExpression is not valid." — localstack's AWS-validated
 *    test tests/aws/services/events/test_events_schedule.py (test_put_rule_with_invalid_schedule_rate
 *    asserts Error == {Code: ValidationException, Message: this}); the same text in CloudTrail records
 *    quoted in buildkite/buildkite-agent-scaler#100 (`rate(3 minute)`), and in winglang/wing#7115
 *    ("api error ValidationException: Parameter ScheduleExpression is not valid." for
 *    `cron(15 12 ? * -1 *)`); aws/aws-sdk-js#4212 reports the same refusal of `cron(*\/60 * * * ? *)`.
 *  - EventBridge Scheduler CreateSchedule/UpdateSchedule: "Invalid Schedule Expression <expression>."
 *    (the expression verbatim, then a full stop) — localstack's snapshot recorded against AWS on
 *    2025-01-26, tests/aws/services/scheduler/test_scheduler.snapshot.json
 *    (e.g. "Invalid Schedule Expression rate(10 seconds).", "Invalid Schedule Expression cron().").
 */
export class InvalidSchedule extends Error {
  override readonly name = 'InvalidSchedule';
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export const RULE_MESSAGE = 'Parameter ScheduleExpression is not valid.';
export const schedulerMessage = (expr: string): string => `Invalid Schedule Expression ${expr}.`;

/** Thrown by the inner parsers; the public entry points replace the message with AWS's text. */
export const refuse = (detail: string): never => {
  throw new InvalidSchedule(detail, detail);
};
