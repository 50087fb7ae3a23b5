/**
 * Alarm actions: which ARNs PutMetricAlarm/PutCompositeAlarm accept, the outbox rows a state
 * change enqueues, and the delivery handler that carries them out (SNS publish, Lambda function URL
 * POST). EC2, Auto Scaling, SWF and Systems Manager actions are accepted and recorded in the
 * alarm's history, but Osprey has no instances or groups to act on, so nothing else happens.
 */
import type { DeliveryHandler, DeliveryResult } from '../../../jobs/delivery-worker.ts';
import type { NewOutboxRow, OutboxRow } from '../../../store/meta/outbox.ts';
import { inPartitionOf, parseArn } from '../../../lib/arn.ts';
import { postForDelivery, urlOrigin } from '../../../jobs/http-post.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Env } from '../../../server/module.ts';
import { lambdaEvent, sanitizeSubject, snsMessage, snsSubject, type StateChangeFacts } from './notification.ts';
import { ACTION_LISTS, actionsFor, type AlarmConfig } from './config.ts';

export const ALARM_ACTION_TOPIC = 'cloudwatch.alarm-action';
export const MAX_ACTIONS_PER_STATE = 5;
/** Who alarm actions act as (the same principal alarm queries use). */
const ALARMS_PRINCIPAL = 'arn:aws:iam::aws:role/cloudwatch-alarms';

const ACTION_SERVICES = new Set(['sns', 'lambda', 'automate', 'swf', 'autoscaling', 'ssm', 'ssm-incidents']);

export type ActionKind = 'sns' | 'lambda' | 'none';

export function actionKind(actionArn: string): ActionKind {
  const p = parseArn(actionArn);
  return p?.service === 'sns' ? 'sns' : p?.service === 'lambda' ? 'lambda' : 'none';
}

/** Checks OKActions / AlarmActions / InsufficientDataActions. */
export function checkActions(config: AlarmConfig): void {
  for (const key of ACTION_LISTS) {
    const list = config[key] ?? [];
    if (list.length > MAX_ACTIONS_PER_STATE) {
      throw new ServiceError('ValidationError', `The collection ${key} must not have a size greater than ${MAX_ACTIONS_PER_STATE}.`);
    }
    for (const a of list) {
      const p = parseArn(a);
      if (p === undefined || !ACTION_SERVICES.has(p.service)) {
        throw new ServiceError('ValidationError', `Invalid arn syntax: ${a}. Alarm actions are SNS topic, Lambda function, ` +
          'EC2 (arn:aws:automate:…), Auto Scaling, SWF or Systems Manager ARNs.');
      }
    }
  }
}

/** The actions of the new state, as outbox rows (the caller drops them when actions are disabled). */
export function actionRows(f: StateChangeFacts): NewOutboxRow[] {
  return actionsFor(f.alarm.config, f.newState).flatMap((target) => {
    const kind = actionKind(target);
    if (kind === 'none') return [];
    const payload = kind === 'sns'
      ? { kind, account: f.alarm.account, region: f.alarm.region, subject: snsSubject(f), message: snsMessage(f) }
      : { kind, event: lambdaEvent(f) };
    const text = JSON.stringify(payload);
    return [{ topic: ALARM_ACTION_TOPIC, target, payload: text, items: 1, bytes: Buffer.byteLength(text) }];
  });
}

export interface AlarmActionSinks {
  /** SNS Publish runs as an internal call (validated like a client's), on the alarm's behalf. */
  call: Env['call'];
  serviceCtx: Env['serviceCtx'];
  /** HTTP(S) URL standing in for a Lambda function (config `lambda.functions`). */
  lambdaUrls: Readonly<Record<string, string>>;
  timeoutMs: number;
}

export class AlarmActionDelivery implements DeliveryHandler {
  readonly topic = ALARM_ACTION_TOPIC;

  constructor(private readonly sinks: AlarmActionSinks) {}

  async deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult[]> {
    return Promise.all(rows.map((r) => this.one(r, signal)));
  }

  private async one(row: OutboxRow, signal: AbortSignal): Promise<DeliveryResult> {
    const p = JSON.parse(row.payload) as { kind: ActionKind; account: string; region: string; subject: string; message: string; event: unknown };
    try {
      if (p.kind === 'sns') {
        const ctx = this.sinks.serviceCtx({ account: p.account, region: p.region, principalArn: inPartitionOf(ALARMS_PRINCIPAL, p.region) });
        // Alarm names may hold characters SNS refuses in a subject (the subject is built from the name).
        const subject = sanitizeSubject(p.subject);
        await this.sinks.call('sns', 'Publish', ctx, { TopicArn: row.target, Message: p.message, ...(subject ? { Subject: subject } : {}) });
        return { id: row.id, ok: true };
      }
      const url = this.sinks.lambdaUrls[row.target] ?? this.sinks.lambdaUrls[row.target.split(':').slice(0, 7).join(':')];
      if (url === undefined) return { id: row.id, ok: false, permanent: true, error: `no URL configured for ${row.target} (lambda.functions)` };
      return { id: row.id, ...(await postForDelivery(url, JSON.stringify(p.event), {
        headers: { 'content-type': 'application/json' }, signal, timeoutMs: this.sinks.timeoutMs, now: Date.now, describe: urlOrigin,
      })) };
    } catch (e) {
      // A missing topic or a refused message (4xx) answers the same on every retry; 5xx may heal.
      const permanent = e instanceof ServiceError && e.status < 500;
      return { id: row.id, ok: false, permanent, error: (e as Error).message };
    }
  }
}
