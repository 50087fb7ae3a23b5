/**
 * The parts of IAM policy evaluation resource policies share (SQS queue policies, Logs resource
 * policies): IAM wildcards, and Condition blocks over the request context an AWS service vouches
 * for when it acts on a resource's behalf (aws:SourceArn, aws:SourceAccount, the older
 * AWS:SourceOwner). Pure.
 *
 * Operators: StringEquals / StringLike / ArnEquals / ArnLike and their IfExists forms (keys compare
 * case-insensitively, as IAM's do). Anything else cannot be evaluated here: the answer is then
 * `undefined`, and callers let such an Allow grant nothing and such a Deny deny.
 */

/** IAM wildcard match: `*` any run of characters, `?` one character. */
export function iamWildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's').test(value);
}

export const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A policy element that may be one string or a list of strings (undefined when it is neither). */
export const policyStrings = (v: unknown): string[] | undefined => {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
};

/** The condition keys a service-on-behalf request carries. */
export interface ConditionContext {
  sourceArn?: string;
  sourceAccount?: string;
}

const OPERATORS: Record<string, { like: boolean }> = {
  stringequals: { like: false },
  stringlike: { like: true },
  arnequals: { like: false },
  arnlike: { like: true },
};

/** true / false when the condition block can be evaluated, undefined when it cannot. */
export function conditionHolds(condition: unknown, c: ConditionContext): boolean | undefined {
  if (condition === undefined) return true;
  if (!isJsonObject(condition)) return undefined;
  const context: Record<string, string | undefined> = {
    'aws:sourcearn': c.sourceArn, 'aws:sourceaccount': c.sourceAccount, 'aws:sourceowner': c.sourceAccount,
  };
  for (const [rawOp, block] of Object.entries(condition)) {
    const ifExists = /IfExists$/i.test(rawOp);
    const op = OPERATORS[rawOp.replace(/IfExists$/i, '').toLowerCase()];
    if (!op || !isJsonObject(block)) return undefined;
    for (const [rawKey, expected] of Object.entries(block)) {
      const key = rawKey.toLowerCase();
      if (!(key in context)) return undefined;
      const values = policyStrings(expected);
      if (!values) return undefined;
      const actual = context[key];
      if (actual === undefined) {
        if (ifExists) continue;
        return false;
      }
      if (!values.some((v) => (op.like ? iamWildcard(v, actual, false) : v === actual))) return false;
    }
  }
  return true;
}

/** The caller an account principal may name: its account id, its account root or its own ARN. */
export interface AccountCaller {
  account: string;
  principalArn: string;
}

/** Whether a statement's Principal names this account caller (`*` and `{"AWS": "*"}` name everyone). */
export function principalNamesAccount(principal: unknown, c: AccountCaller): boolean {
  if (principal === '*') return true;
  if (!isJsonObject(principal)) return false;
  return (policyStrings(principal.AWS) ?? []).some((a) => a === '*' || a === c.account || a === `arn:aws:iam::${c.account}:root` || a === c.principalArn);
}
