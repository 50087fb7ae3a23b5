/**
 * PutResourcePolicy / ListResourcePolicies / DeleteResourcePolicy: account-level policies that
 * grant other services and accounts access to X-Ray. "Each account can have a maximum of 5
 * resource policies … The maximum size of each resource policy is 5KB." Revision ids count up from
 * 1 per policy; a PolicyRevisionId on Put/Delete makes the call conditional (0 = "create only").
 */
import type {
  DeleteResourcePolicyRequest, DeleteResourcePolicyResult, ListResourcePoliciesRequest, ListResourcePoliciesResult,
  PutResourcePolicyRequest, PutResourcePolicyResult, ResourcePolicy,
} from '@aws-sdk/client-xray';
import { checkPolicyDocument } from '../../lib/policy-document.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';
import { decodeOffset, encodeOffset } from './time-range.ts';
import type { ResourcePolicyRecord } from './settings-repo.ts';

export const MAX_POLICIES = 5;
export const MAX_POLICY_BYTES = 5120;
const PAGE = 10;

const revisionError = (message: string) => new ServiceError('InvalidPolicyRevisionIdException', message);

function toApi(p: ResourcePolicyRecord): ResourcePolicy {
  return { PolicyName: p.name, PolicyDocument: p.document, PolicyRevisionId: String(p.revision), LastUpdatedTime: new Date(p.updatedAt * 1000) };
}

function checkDocument(text: string): void {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_POLICY_BYTES) {
    throw new ServiceError('PolicySizeLimitExceededException', `The policy document is ${bytes} bytes; a resource policy can be at most ${MAX_POLICY_BYTES} bytes.`);
  }
  const r = checkPolicyDocument(text);
  if (!r.ok) throw new ServiceError('MalformedPolicyDocumentException', `Invalid policy document: ${r.reason}.`);
}

/** A conditional write's revision id must name the latest revision ("0": the policy must not exist yet). */
function checkRevision(name: string, current: ResourcePolicyRecord | undefined, given: string | undefined): void {
  if (given === undefined) return;
  if (given === '0') {
    if (current) throw revisionError(`A resource policy named ${name} already exists (revision ${current.revision}); PolicyRevisionId 0 only creates.`);
    return;
  }
  if (!current) throw revisionError(`There is no resource policy named ${name}, so PolicyRevisionId ${given} does not match; use 0 to create it.`);
  if (given !== String(current.revision)) throw revisionError(`PolicyRevisionId ${given} does not match the latest revision of ${name}, ${current.revision}.`);
}

export async function putResourcePolicy(deps: XrayDeps, ctx: Ctx, input: PutResourcePolicyRequest): Promise<PutResourcePolicyResult> {
  const name = input.PolicyName ?? '';
  if (!/^[\w+=,.@-]{1,128}$/.test(name)) throw invalidRequest('PolicyName must be 1-128 characters of letters, digits and +=,.@_-.');
  const document = input.PolicyDocument ?? '';
  checkDocument(document);
  const current = await deps.settings.policy(ctx, name);
  checkRevision(name, current, input.PolicyRevisionId);
  if (!current && (await deps.settings.policies(ctx)).length >= MAX_POLICIES) {
    throw new ServiceError('PolicyCountLimitExceededException', `An account can have at most ${MAX_POLICIES} X-Ray resource policies in a Region; delete one before adding ${name}.`);
  }
  const record: ResourcePolicyRecord = { name, document, revision: (current?.revision ?? 0) + 1, updatedAt: Math.floor(deps.clock.now() / 1000) };
  await deps.settings.putPolicy(ctx, record);
  return { ResourcePolicy: toApi(record) };
}

export async function listResourcePolicies(deps: XrayDeps, ctx: Ctx, input: ListResourcePoliciesRequest): Promise<ListResourcePoliciesResult> {
  const all = await deps.settings.policies(ctx);
  const from = decodeOffset(input.NextToken);
  const page = all.slice(from, from + PAGE);
  return { ResourcePolicies: page.map(toApi), ...(from + PAGE < all.length ? { NextToken: encodeOffset(from + PAGE) } : {}) };
}

export async function deleteResourcePolicy(deps: XrayDeps, ctx: Ctx, input: DeleteResourcePolicyRequest): Promise<DeleteResourcePolicyResult> {
  const name = input.PolicyName ?? '';
  const current = await deps.settings.policy(ctx, name);
  if (input.PolicyRevisionId !== undefined && (!current || input.PolicyRevisionId !== String(current.revision))) {
    throw revisionError(`PolicyRevisionId ${input.PolicyRevisionId} does not match the latest revision of ${name}${current ? `, ${current.revision}` : ' (it does not exist)'}.`);
  }
  // Deleting a policy that is not there succeeds: the model lists no not-found error for this call.
  await deps.settings.deletePolicy(ctx, name);
  return {};
}
