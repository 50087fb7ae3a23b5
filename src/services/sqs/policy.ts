/**
 * A queue policy's answer for a cross-account caller: allowed when an Allow statement names the
 * caller (Principal `*`, its account, its account root or its ARN), the action (`sqs:*`, `*` or the
 * action, wildcards allowed) and the queue (or `*`), and no Deny statement matches. Statements with
 * a Condition are not evaluated here and never allow (they may deny), so a policy never grants
 * more than it says.
 */
interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

export interface AccessRequest {
  principalArn: string;
  account: string;
  action: string;
  resource: string;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(value);
}

function principalMatches(p: unknown, r: AccessRequest): boolean {
  if (p === '*') return true;
  if (!p || typeof p !== 'object') return false;
  const aws = list((p as Record<string, unknown>).AWS);
  return aws.some((a) => a === '*' || a === r.account || a === `arn:aws:iam::${r.account}:root` || a === r.principalArn);
}

function matches(s: Statement, r: AccessRequest): boolean {
  return principalMatches(s.Principal, r) && list(s.Action).some((a) => glob(a, r.action)) && list(s.Resource ?? '*').some((x) => glob(x, r.resource));
}

export function policyAllows(policy: string | undefined, r: AccessRequest): boolean {
  if (!policy) return false;
  let statements: Statement[];
  try {
    const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  } catch {
    return false;
  }
  if (statements.some((s) => s.Effect === 'Deny' && matches(s, r))) return false;
  return statements.some((s) => s.Effect === 'Allow' && s.Condition === undefined && matches(s, r));
}
