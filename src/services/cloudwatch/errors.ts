/**
 * CloudWatch's error vocabulary for metric operations (codes from the model's awsQueryError
 * traits; messages in CloudWatch's "The value X for parameter Y is invalid." style). Parameter
 * paths use the Query protocol's spelling (MetricData.member.1.Value) on every protocol, as
 * CloudWatch itself does.
 */
import { ServiceError } from '../../protocol/errors.ts';

export const invalidValue = (message: string) => new ServiceError('InvalidParameterValue', message);
export const badValue = (value: unknown, param: string) =>
  invalidValue(`The value ${String(value)} for parameter ${param} is invalid.`);
export const missing = (param: string) => new ServiceError('MissingParameter', `The parameter ${param} is required.`);
export const combination = (message: string) => new ServiceError('InvalidParameterCombination', message);
export const exclusive = (a: string, b: string) =>
  combination(`The parameters ${a} and ${b} are mutually exclusive and you have specified both.`);
