/** Names, ARNs and errors Synthetics' handlers share. */
import { arn, type Scope } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';

export const canaryArn = (s: Scope, name: string): string => arn('synthetics', s, `canary:${name}`);
export const groupArn = (s: Scope, id: string): string => arn('synthetics', s, `group:${id}`);
/** The Lambda function AWS runs a canary as; Osprey names it the same way for the EngineArn and the log group. */
export const engineName = (name: string, id: string): string => `cwsyn-${name}-${id}`;
export const engineArn = (s: Scope, name: string, id: string): string => arn('lambda', s, `function:${engineName(name, id)}:1`);
export const logGroupName = (name: string, id: string): string => `/aws/lambda/${engineName(name, id)}`;

export const validation = (message: string): ServiceError => new ServiceError('ValidationException', message);
export const conflict = (message: string): ServiceError => new ServiceError('ConflictException', message, { status: 409 });
export const canaryNotFound = (name: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', `Canary ${name} does not exist.`, { status: 404 });
export const groupNotFound = (id: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', `Group ${id} does not exist.`, { status: 404 });
