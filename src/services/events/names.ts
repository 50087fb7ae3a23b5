/** EventBridge ARNs and the name-or-ARN members (EventBusName, Rule ARNs) its operations take. */
import { arn, parseArn, type Scope } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';

export const DEFAULT_BUS = 'default';

export const busArn = (s: Scope, bus: string) => arn('events', s, `event-bus/${bus}`);
/** Rules of the default bus are `rule/<name>`; of other buses `rule/<bus>/<name>`. */
export const ruleArn = (s: Scope, bus: string, rule: string) => arn('events', s, bus === DEFAULT_BUS ? `rule/${rule}` : `rule/${bus}/${rule}`);

export const validation = (message: string) => new ServiceError('ValidationException', message);
export const busNotFound = (bus: string) => new ServiceError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
export const ruleNotFound = (rule: string, bus: string) => new ServiceError('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`);

/** A bus named by name or ARN, with the scope it lives in (an ARN may name another account's bus). */
export interface BusRef {
  account: string;
  region: string;
  name: string;
}

export function busRef(s: Scope, nameOrArn: string | undefined): BusRef {
  if (nameOrArn === undefined || nameOrArn === '') return { account: s.account, region: s.region, name: DEFAULT_BUS };
  if (!nameOrArn.startsWith('arn:')) return { account: s.account, region: s.region, name: nameOrArn };
  const a = parseArn(nameOrArn);
  if (!a || a.service !== 'events' || !a.resource.startsWith('event-bus/')) {
    throw validation(`Parameter EventBusName is not valid. Reason: ${nameOrArn} is not a valid event bus ARN.`);
  }
  return { account: a.account, region: a.region, name: a.resource.slice('event-bus/'.length) };
}

/** For operations on one's own buses: an ARN of another account or region does not reach it. */
export function ownBus(s: Scope, nameOrArn: string | undefined): string {
  const r = busRef(s, nameOrArn);
  if (r.account !== s.account || r.region !== s.region) throw busNotFound(nameOrArn ?? DEFAULT_BUS);
  return r.name;
}
