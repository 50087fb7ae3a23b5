import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { DestinationRecord } from '../../../store/meta/subscriptions.ts';
import { policyAllows } from './access-policy.ts';
import type { SubscriptionDeps } from './deps.ts';
import { parseTargetArn, type ParsedTargetArn } from './targets.ts';
import { arn } from '../../../lib/arn.ts';
import { nativeStreamExists } from '../../../server/targets/stream-records.ts';

export type DeliveryKind = 'lambda' | 'kinesis' | 'firehose';

/** Where a subscription filter's events really go. */
export interface ResolvedTarget {
  kind: DeliveryKind;
  /** The Lambda / stream ARN deliveries are sent to (a destination's targetArn when via one). */
  targetArn: string;
  destination?: DestinationRecord;
}

export const destinationArn = (d: { account: string; region: string; name: string }): string =>
  arn('logs', d, `destination:${d.name}`);

export const destinationNotFound = (): ServiceError =>
  new ServiceError('ResourceNotFoundException', 'The specified destination does not exist.');

const SUPPORTED =
  'Osprey delivers to Lambda functions (arn:aws:lambda:<region>:<account>:function:<name>), ' +
  'Kinesis streams (arn:aws:kinesis:<region>:<account>:stream/<name>), ' +
  'Firehose delivery streams (arn:aws:firehose:<region>:<account>:deliverystream/<name>) ' +
  'and CloudWatch Logs destinations (arn:aws:logs:<region>:<account>:destination:<name>).';

const streamWord = (kind: 'kinesis' | 'firehose'): string => (kind === 'kinesis' ? 'Kinesis stream' : 'Firehose delivery stream');

/**
 * Refuses a stream that could never be delivered to: neither mapped to an external sink nor one of
 * Osprey's own streams — AWS's "Could not deliver test message" check.
 */
export async function requireStreamSink(deps: SubscriptionDeps, arn: ParsedTargetArn, kind: 'kinesis' | 'firehose'): Promise<void> {
  if (deps.targets.streamSink(arn.arn)) return;
  if (await nativeStreamExists(deps.streams, arn.arn, 'logs.amazonaws.com')) return;
  throw new ServiceError(
    'InvalidParameterException',
    `Could not deliver test message to specified ${streamWord(kind)} ${arn.arn}: it does not exist. ` +
      `Create it (${kind === 'kinesis' ? 'kinesis create-stream' : 'firehose create-delivery-stream'}), or map the ARN to an external sink ` +
      '(file:///absolute/path or an http(s):// URL) in the config file (streams) or in OSPREY_STREAM_SINKS.',
  );
}

/**
 * PutSubscriptionFilter's checks on destinationArn: a known kind, deliverable (mapped in the
 * config), same account for direct targets, and for a destination: same region, existing, and —
 * when it belongs to another account — allowed by its access policy.
 */
export async function resolveForPut(deps: SubscriptionDeps, ctx: Ctx, value: string): Promise<ResolvedTarget> {
  const arn = parseTargetArn(value);
  if (!arn) throw new ServiceError('InvalidParameterException', `Invalid destinationArn ${value}. ${SUPPORTED}`);

  if (arn.kind === 'destination') {
    if (arn.region !== ctx.region) {
      throw new ServiceError(
        'InvalidParameterException',
        `The destination ${value} must be in the same region as the log group (${ctx.region}).`,
      );
    }
    const dest = await deps.subs.getDestination({ account: arn.account, region: arn.region, name: arn.name });
    if (!dest) throw destinationNotFound();
    if (arn.account !== ctx.account) {
      const allowed = dest.accessPolicy !== null && policyAllows(dest.accessPolicy, {
        account: ctx.account,
        principalArn: ctx.principalArn,
        action: 'logs:PutSubscriptionFilter',
        resource: value,
      });
      if (!allowed) {
        throw new ServiceError(
          'AccessDeniedException',
          `User: ${ctx.principalArn} is not authorized to perform: logs:PutSubscriptionFilter on resource: ${value} ` +
            "because the destination's access policy (PutDestinationPolicy) does not allow it",
        );
      }
    }
    const target = parseTargetArn(dest.targetArn);
    if (target?.kind !== 'kinesis' && target?.kind !== 'firehose') {
      throw new ServiceError('InvalidParameterException', `The destination ${value} has an unsupported target ${dest.targetArn}.`);
    }
    await requireStreamSink(deps, target, target.kind);
    return { kind: target.kind, targetArn: dest.targetArn, destination: dest };
  }

  if (arn.account !== ctx.account) {
    throw new ServiceError(
      'InvalidParameterException',
      `The destination ${value} belongs to account ${arn.account}; a Lambda function or stream must belong to the same ` +
        `account as the subscription filter (${ctx.account}). Use a CloudWatch Logs destination (PutDestination) for cross-account delivery.`,
    );
  }
  if (arn.kind === 'lambda') {
    if (!deps.targets.lambdaUrl(value)) {
      throw new ServiceError(
        'InvalidParameterException',
        `Could not execute the lambda function ${value}: Osprey has no URL for it. ` +
          'Map the function ARN to an HTTP(S) URL in the config file (lambda.functions) or in OSPREY_LAMBDA_URLS.',
      );
    }
    return { kind: 'lambda', targetArn: value };
  }
  const kind = arn.kind;
  await requireStreamSink(deps, arn, kind);
  return { kind, targetArn: value };
}

/**
 * The ingest-time view: where a stored filter delivers now, or why it cannot. A destination that
 * was deleted, or whose policy no longer allows the filter's account, stops deliveries (as AWS's
 * "modify destination membership" guide describes) without failing PutLogEvents.
 */
export async function resolveForIngest(
  deps: SubscriptionDeps,
  filter: { account: string; region: string; destinationArn: string },
): Promise<{ targetArn: string } | { skip: string }> {
  const arn = parseTargetArn(filter.destinationArn);
  if (!arn) return { skip: `unsupported destinationArn ${filter.destinationArn}` };
  if (arn.kind !== 'destination') return { targetArn: filter.destinationArn };
  const dest = await deps.subs.getDestination({ account: arn.account, region: arn.region, name: arn.name });
  if (!dest) return { skip: `destination ${filter.destinationArn} no longer exists` };
  if (arn.account !== filter.account) {
    const allowed = dest.accessPolicy !== null && policyAllows(dest.accessPolicy, {
      account: filter.account,
      action: 'logs:PutSubscriptionFilter',
      resource: filter.destinationArn,
    });
    if (!allowed) return { skip: `the access policy of ${filter.destinationArn} no longer allows account ${filter.account}` };
  }
  return { targetArn: dest.targetArn };
}
