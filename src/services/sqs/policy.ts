/**
 * A queue policy's answer for a caller the owner's own identity does not cover: another account, or
 * an AWS service acting on a resource's behalf (SNS for a topic, EventBridge for a rule, Scheduler
 * for a schedule). Allowed when an Allow statement names the caller, the action (`sqs:*`, `*` or the
 * action, wildcards allowed) and the queue (or `*`), its Condition holds, and no Deny statement
 * matches.
 *
 * - An account caller matches Principal `*`, `{"AWS": "*"}`, its account id, its account root or
 *   its ARN.
 * - A service caller matches `*`, `{"AWS": "*"}` or `{"Service": "<service principal>"}` — not an
 *   account principal: as on AWS, a service writes to a queue only when the queue's policy lets it,
 *   whether or not the source resource is in the queue's account.
 * - Condition: aws:SourceArn / aws:SourceAccount with String/Arn Equals/Like (lib/policy-condition);
 *   a direct caller has neither key, so such a statement does not allow it. A condition that cannot
 *   be evaluated never allows (and a Deny using it denies), so a policy never grants more than it says.
 */
import { conditionHolds, iamWildcard, isJsonObject, policyStrings, principalNamesAccount } from '../../lib/policy-condition.ts';

type Statement = Record<string, unknown>;

export interface AccessRequest {
  principalArn: string;
  account: string;
  action: string;
  resource: string;
  /** Set when an AWS service acts on a resource's behalf (Ctx.invokedBy). */
  service?: { name: string; sourceArn: string; sourceAccount: string };
}

const list = (v: unknown): string[] => policyStrings(v) ?? [];

function principalMatches(p: unknown, r: AccessRequest): boolean {
  if (!r.service) return principalNamesAccount(p, r);
  if (p === '*') return true;
  if (!isJsonObject(p)) return false;
  if (list(p.AWS).includes('*')) return true;
  return list(p.Service).some((s) => s.toLowerCase() === r.service!.name.toLowerCase());
}

/** true / false when the statement's match can be decided, undefined when it cannot. */
function applies(s: Statement, r: AccessRequest): boolean | undefined {
  if (s.NotPrincipal !== undefined || s.NotAction !== undefined || s.NotResource !== undefined) return undefined;
  const matched = principalMatches(s.Principal, r) && list(s.Action).some((a) => iamWildcard(a, r.action, true))
    && list(s.Resource ?? '*').some((x) => iamWildcard(x, r.resource, false));
  if (!matched) return false;
  return conditionHolds(s.Condition, { sourceArn: r.service?.sourceArn, sourceAccount: r.service?.sourceAccount });
}

function statementsOf(policy: string): Statement[] {
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    return raw.filter(isJsonObject);
  } catch {
    return [];
  }
}

export function policyAllows(policy: string | undefined, r: AccessRequest): boolean {
  if (!policy) return false;
  let allowed = false;
  for (const s of statementsOf(policy)) {
    const a = applies(s, r);
    if (s.Effect === 'Deny' && a !== false) return false;
    if (s.Effect === 'Allow' && a === true) allowed = true;
  }
  return allowed;
}
