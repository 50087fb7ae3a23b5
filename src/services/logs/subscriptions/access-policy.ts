/**
 * Evaluating a destination's access policy (PutDestinationPolicy): may a subscription filter in
 * account X point at this destination? The policy is an IAM resource policy; the forms AWS's
 * cross-account subscription guides use are evaluated:
 *
 *   { "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "111111111111" },
 *                     "Action": "logs:PutSubscriptionFilter",
 *                     "Resource": "arn:aws:logs:region:999999999999:destination:testDestination" }] }
 *
 * - Principal: "*", {"AWS": "*"}, an account id or `arn:aws:iam::<account>:<anything>` (string or list).
 * - Action / Resource: strings or lists with IAM wildcards (`*`, `?`); actions compare case-insensitively.
 *   A statement without Resource applies to the destination it is attached to.
 * - Deny beats Allow; nothing matching means denied.
 * - Conditions (e.g. aws:PrincipalOrgID), NotPrincipal, NotAction and NotResource cannot be
 *   evaluated here (Osprey has no organizations): an Allow using them grants nothing, a Deny using
 *   them denies — never more access than the policy could give.
 */
export interface PolicyRequest {
  /** The calling account. */
  account: string;
  /** The calling principal's ARN, when known. */
  principalArn?: string;
  action: string;
  resource: string;
}

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

export class InvalidPolicyError extends Error {}

/** Parses and checks the shape of an access policy; throws InvalidPolicyError with the reason. */
export function parseAccessPolicy(text: string): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InvalidPolicyError(`the policy is not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new InvalidPolicyError('the policy must be a JSON object');
  const raw = (doc as { Statement?: unknown }).Statement;
  if (raw === undefined) throw new InvalidPolicyError('the policy has no Statement');
  const statements = Array.isArray(raw) ? raw : [raw];
  if (statements.length === 0) throw new InvalidPolicyError('the policy has no Statement');
  for (const s of statements) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new InvalidPolicyError('each Statement must be an object');
    const st = s as Statement;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw new InvalidPolicyError('each Statement needs "Effect": "Allow" or "Deny"');
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw new InvalidPolicyError('each Statement needs a Principal');
    if (st.Action === undefined && st.NotAction === undefined) throw new InvalidPolicyError('each Statement needs an Action');
  }
  return statements as Statement[];
}

const list = (v: unknown): string[] | undefined => {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
};

/** IAM wildcard match: `*` any run of characters, `?` one character. */
function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(
    `^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`,
    caseInsensitive ? 'is' : 's',
  );
  return re.test(value);
}

function principalMatches(principal: unknown, req: PolicyRequest): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = list((principal as { AWS?: unknown }).AWS);
  if (!aws) return false;
  return aws.some((p) => {
    if (p === '*' || p === req.account) return true;
    const m = /^arn:aws[a-z-]*:iam::(\d{12}):(.+)$/.exec(p);
    if (!m || m[1] !== req.account) return false;
    // The account root stands for every principal of the account; other ARNs name one principal.
    return m[2] === 'root' || (req.principalArn !== undefined && wildcard(p, req.principalArn, false));
  });
}

function applies(s: Statement, req: PolicyRequest): boolean {
  if (s.NotPrincipal !== undefined || s.NotAction !== undefined || s.NotResource !== undefined) return false;
  if (s.Condition !== undefined && !(typeof s.Condition === 'object' && s.Condition !== null && Object.keys(s.Condition).length === 0)) {
    return false;
  }
  if (!principalMatches(s.Principal, req)) return false;
  const actions = list(s.Action);
  if (!actions?.some((a) => wildcard(a, req.action, true))) return false;
  if (s.Resource === undefined) return true;
  const resources = list(s.Resource);
  return resources?.some((r) => wildcard(r, req.resource, false)) ?? false;
}

/** True when the policy allows the request (and no statement denies it). */
export function policyAllows(policy: string | Statement[], req: PolicyRequest): boolean {
  let statements: Statement[];
  try {
    statements = typeof policy === 'string' ? parseAccessPolicy(policy) : policy;
  } catch {
    return false;
  }
  let allowed = false;
  for (const s of statements) {
    if (s.Effect === 'Deny') {
      // A Deny we cannot fully evaluate is taken to apply.
      const unsure = s.NotPrincipal !== undefined || s.NotAction !== undefined || s.NotResource !== undefined || s.Condition !== undefined;
      if (unsure || applies(s, req)) return false;
    } else if (applies(s, req)) {
      allowed = true;
    }
  }
  return allowed;
}
