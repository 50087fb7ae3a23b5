import { arn } from '../../../lib/arn.ts';

export const alarmArn = (a: { account: string; region: string; name: string }): string =>
  arn('cloudwatch', a, `alarm:${a.name}`);

/** The alarm name in an alarm ARN of this account and region, or undefined. */
export function alarmNameFromArn(value: string, scope: { account: string; region: string }): string | undefined {
  const prefix = `${arn('cloudwatch', scope, 'alarm:')}`;
  return value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}
