/** What a target's or a bus's DeadLetterConfig.Arn may name (shared by PutTargets and the bus APIs). */
import { targetRef } from '../../server/targets/target-ref.ts';
import { validation } from './names.ts';

/** EventBridge's dead-letter queues are standard SQS queues (Osprey also takes SNS topics and log groups). */
export function checkDeadLetter(arn: string): void {
  const kind = targetRef(arn)?.kind;
  if (kind !== 'sqs' && kind !== 'sns' && kind !== 'logs') {
    throw validation(`Parameter DeadLetterConfig.Arn is not valid. Reason: a dead-letter queue is an SQS queue (Osprey also takes SNS topics and CloudWatch Logs log groups); got ${arn}.`);
  }
  if (kind === 'sqs' && arn.endsWith('.fifo')) {
    throw validation(`Parameter DeadLetterConfig.Arn is not valid. Reason: a dead-letter queue must be a standard SQS queue; ${arn} is a FIFO queue.`);
  }
}
