/** Archive, replay and rule ARNs as StartReplay and friends take them, and the errors AWS answers for them. */
import { arn, parseArn, type Scope } from '../../../lib/arn.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import { busNotFound, busRef, DEFAULT_BUS, validation } from '../names.ts';

export const archiveArn = (s: Scope, name: string) => arn('events', s, `archive/${name}`);
export const replayArn = (s: Scope, name: string) => arn('events', s, `replay/${name}`);

export const archiveNotFound = (name: string) => new ServiceError('ResourceNotFoundException', `Archive ${name} does not exist.`);
export const replayNotFound = (name: string) => new ServiceError('ResourceNotFoundException', `Replay ${name} does not exist.`);

/** A bus of the caller's scope named by ARN: another account's or Region's bus "does not exist", as on AWS. */
export function ownBusFromArn(s: Scope, value: string): string {
  const ref = busRef(s, value);
  if (ref.account !== s.account || ref.region !== s.region) throw busNotFound(ref.name);
  return ref.name;
}

/**
 * The archive an EventSourceArn names in the caller's scope. Anything else (another account's or
 * Region's archive, not an archive ARN) is answered as AWS answers an unknown archive.
 */
export function archiveNameFromArn(s: Scope, value: string): string {
  const a = parseArn(value);
  const name = a?.resource.startsWith('archive/') ? a.resource.slice('archive/'.length) : value;
  if (!a || a.service !== 'events' || name === value || a.account !== s.account || a.region !== s.region) {
    throw validation(`Parameter EventSourceArn is not valid. Reason: Archive ${name} does not exist.`);
  }
  return name;
}

/**
 * The rule name a Destination.FilterArns entry names on `bus`: `rule/<name>` on the default bus,
 * `rule/<bus>/<name>` on others (ruleArn in ../names.ts).
 */
export function filterRuleName(s: Scope, bus: string, value: string): string {
  const a = parseArn(value);
  const parts = a?.resource.split('/') ?? [];
  const fits = a !== undefined && a.service === 'events' && a.account === s.account && a.region === s.region && parts[0] === 'rule'
    && ((bus === DEFAULT_BUS && parts.length === 2) || (parts.length === 3 && parts[1] === bus));
  if (!fits) throw validation(`Parameter Destination.FilterArns is not valid. Reason: ${value} is not a rule of event bus ${bus}.`);
  return parts[parts.length - 1]!;
}
