/**
 * Scheduler ARNs and errors: `arn:aws:scheduler:<region>:<account>:schedule/<group>/<name>` and
 * `…:schedule-group/<name>`; error texts as AWS answers them (the same texts moto reproduces).
 */
import { arn, type Scope } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';

export const DEFAULT_GROUP = 'default';

export const scheduleArn = (s: Scope, group: string, name: string) => arn('scheduler', s, `schedule/${group}/${name}`);
export const groupArn = (s: Scope, name: string) => arn('scheduler', s, `schedule-group/${name}`);

export const validation = (message: string) => new ServiceError('ValidationException', message);
export const scheduleNotFound = (name: string) => new ServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
export const groupNotFound = (name: string) => new ServiceError('ResourceNotFoundException', `Schedule group ${name} does not exist.`);
export const scheduleExists = (name: string) => new ServiceError('ConflictException', `Schedule ${name} already exists.`);
export const groupExists = (name: string) => new ServiceError('ConflictException', `Schedule group ${name} already exists.`);

/** The group a TagResource / ListTagsForResource ARN names, if it is a schedule group of this scope. */
export function groupOfArn(s: Scope, resourceArn: string): string | undefined {
  const prefix = groupArn(s, '');
  return resourceArn.startsWith(prefix) && resourceArn.length > prefix.length ? resourceArn.slice(prefix.length) : undefined;
}
