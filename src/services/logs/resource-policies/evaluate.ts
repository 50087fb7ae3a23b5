/**
 * Does a Logs resource policy let an AWS service write to a log group? AWS documents that these
 * policies only grant `logs:CreateLogStream` and `logs:PutLogEvents`, and only to AWS service
 * principals (API_PutResourcePolicy). Pure: the callers (EventBridge → log group targets,
 * vended logs) load the policies (account-level ones plus the group's own) and pass them in.
 *
 *   { "Effect": "Allow", "Principal": { "Service": ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
 *     "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
 *     "Resource": "arn:aws:logs:us-east-1:111111111111:log-group:/aws/events/*:*",
 *     "Condition": { "ArnEquals": { "aws:SourceArn": "arn:aws:events:us-east-1:111111111111:rule/r" } } }
 *
 * - Principal: `"*"`, `{"AWS": "*"}` or `{"Service": name | [names]}` (service names compare
 *   case-insensitively).
 * - Action / Resource: strings or lists with IAM wildcards (`*`, `?`); actions compare
 *   case-insensitively, resources case-sensitively. A group is named by its ARN; a pattern matches
 *   when it matches the bare ARN, the `…:*` form, or (when a stream is given) the stream's ARN.
 * - Condition: StringEquals / StringLike / ArnEquals / ArnLike (and their IfExists forms) on
 *   `aws:SourceArn` and `aws:SourceAccount`, from the request context. Any other condition cannot
 *   be evaluated here: an Allow using it grants nothing, a Deny using it denies. NotPrincipal,
 *   NotAction and NotResource are treated the same way — never more access than the policy gives.
 * - An explicit Deny wins; nothing matching means not allowed.
 */

import { conditionHolds, iamWildcard, isJsonObject, policyStrings } from '../../../lib/policy-condition.ts';

export interface ServiceWriteRequest {
  /** The calling service principal, e.g. `events.amazonaws.com`. */
  service: string;
  /** `logs:CreateLogStream` or `logs:PutLogEvents`. */
  action: string;
  /** `arn:<partition>:logs:<region>:<account>:log-group:<name>` (a trailing `:*` is accepted). */
  logGroupArn: string;
  logStreamName?: string;
  /** Condition context (aws:SourceArn, aws:SourceAccount) the calling service vouches for. */
  sourceArn?: string;
  sourceAccount?: string;
}

type Json = Record<string, unknown>;

const isObject = isJsonObject;
const strings = policyStrings;

export { iamWildcard };

function principalMatches(principal: unknown, service: string): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  if (principal.AWS === '*') return true;
  const services = strings(principal.Service);
  return services?.some((s) => s.toLowerCase() === service.toLowerCase()) ?? false;
}

/** The ARNs a Resource pattern may name for this request. */
function resourceForms(req: ServiceWriteRequest): string[] {
  const bare = req.logGroupArn.replace(/:\*$/, '');
  const forms = [bare, `${bare}:*`];
  if (req.logStreamName !== undefined) forms.push(`${bare}:log-stream:${req.logStreamName}`);
  return forms;
}

/** true / false when the statement's match can be decided, undefined when it cannot. */
function statementApplies(s: Json, req: ServiceWriteRequest): boolean | undefined {
  if (s.NotPrincipal !== undefined || s.NotAction !== undefined || s.NotResource !== undefined) return undefined;
  if (!principalMatches(s.Principal, req.service)) return false;
  const actions = strings(s.Action);
  if (!actions?.some((a) => iamWildcard(a, req.action, true))) return false;
  if (s.Resource !== undefined) {
    const resources = strings(s.Resource);
    const forms = resourceForms(req);
    if (!resources?.some((r) => forms.some((f) => iamWildcard(r, f, false)))) return false;
  }
  return conditionHolds(s.Condition, { sourceArn: req.sourceArn, sourceAccount: req.sourceAccount });
}

function statementsOf(policy: string | Json): Json[] {
  let doc: unknown = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      return [];
    }
  }
  if (!isObject(doc)) return [];
  const raw = doc.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter(isObject);
}

/**
 * True when the policies (documents as stored, or parsed) allow the service to perform the action
 * on the log group and none denies it.
 */
export function resourcePoliciesAllow(policies: readonly (string | Json)[], req: ServiceWriteRequest): boolean {
  let allowed = false;
  for (const policy of policies) {
    for (const s of statementsOf(policy)) {
      const applies = statementApplies(s, req);
      if (s.Effect === 'Deny') {
        // A Deny that cannot be fully evaluated is taken to apply.
        if (applies !== false) return false;
      } else if (s.Effect === 'Allow' && applies === true) {
        allowed = true;
      }
    }
  }
  return allowed;
}
