/**
 * AWS Health event ARNs: `arn:aws:health:<event-region>::event/<SERVICE>/<EVENT_TYPE_CODE>/<EVENT_TYPE_CODE>_<id>`
 * (AWS Health API reference, Event.arn). Osprey's incidents concern the whole installation, so
 * their region is `global`, as AWS's global events' is.
 */
import { randomBytes } from 'node:crypto';

export const EVENT_REGION = 'global';

export function newEventArn(service: string, typeCode: string): string {
  const id = randomBytes(8).toString('hex').toUpperCase();
  return `arn:aws:health:${EVENT_REGION}::event/${service}/${typeCode}/${typeCode}_${id}`;
}
