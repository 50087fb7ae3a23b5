/**
 * Osprey's own events on each account's default bus, in AWS's envelopes: "CloudWatch Alarm State
 * Change" (source aws.cloudwatch) from the alarm state machine's facts, and other services' events
 * (Synthetics canary runs and status changes) from `service.event` facts. Best effort, as AWS's
 * service events are: a failure is logged, never fails the publisher's work.
 */
import type { AwsEvent } from '../../server/facts.ts';
import type { EventsDeps } from './deps.ts';
import type { Dispatcher } from './dispatch.ts';
import { DEFAULT_BUS } from './names.ts';

export async function publishServiceEvent(deps: EventsDeps, dispatcher: Dispatcher, event: AwsEvent): Promise<void> {
  try {
    const scope = { account: event.account, region: event.region };
    const json = JSON.stringify(event);
    await dispatcher.dispatch(scope, DEFAULT_BUS, [{ event, json, ingestedAt: deps.clock.now() }]);
  } catch (err) {
    deps.log.error({ err, source: event.source, detailType: event['detail-type'] }, 'events: could not route a service event');
  }
}
