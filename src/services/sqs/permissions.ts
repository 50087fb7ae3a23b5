/** AddPermission / RemovePermission: statements in the queue's Policy, keyed by their Sid (the label). */
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { arnOf, resolveQueue, type SqsDeps } from './deps.ts';

interface PolicyDoc {
  Version: string;
  Id?: string;
  Statement: { Sid?: string }[];
}

function readPolicy(text: string | undefined, arn: string): PolicyDoc {
  if (!text) return { Version: '2012-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [] };
  const doc = JSON.parse(text) as PolicyDoc;
  if (!Array.isArray(doc.Statement)) doc.Statement = doc.Statement ? [doc.Statement] : [];
  return doc;
}

export async function addPermission(deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'AddPermission'>): Promise<CallOutput<'sqs', 'AddPermission'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'AddPermission');
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(input.Label!)) throw new ServiceError('InvalidParameterValue', 'Label can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  const arn = arnOf(q);
  const doc = readPolicy(q.attributes.Policy, arn);
  if (doc.Statement.some((s) => s.Sid === input.Label)) {
    throw new ServiceError('InvalidParameterValue', `Value ${input.Label} for parameter Label is invalid. Reason: Already exists.`);
  }
  doc.Statement.push({
    Sid: input.Label,
    Effect: 'Allow',
    Principal: { AWS: input.AWSAccountIds!.map((a) => `arn:aws:iam::${a}:root`) },
    Action: input.Actions!.map((a) => (a === '*' ? 'SQS:*' : `SQS:${a}`)),
    Resource: arn,
  } as { Sid: string });
  await deps.repo.setAttributes(q.id, { ...q.attributes, Policy: JSON.stringify(doc) }, deps.clock.now());
  return {};
}

export async function removePermission(deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'RemovePermission'>): Promise<CallOutput<'sqs', 'RemovePermission'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'RemovePermission');
  const doc = readPolicy(q.attributes.Policy, arnOf(q));
  const kept = doc.Statement.filter((s) => s.Sid !== input.Label);
  if (kept.length === doc.Statement.length) {
    throw new ServiceError('InvalidParameterValue', `Value ${input.Label} for parameter Label is invalid. Reason: can't find label.`);
  }
  const attributes = { ...q.attributes };
  if (kept.length === 0) delete attributes.Policy;
  else attributes.Policy = JSON.stringify({ ...doc, Statement: kept });
  await deps.repo.setAttributes(q.id, attributes, deps.clock.now());
  return {};
}
