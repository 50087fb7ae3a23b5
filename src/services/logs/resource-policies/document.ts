/**
 * Checking and normalizing the policy documents of PutResourcePolicy. Pure, no I/O.
 *
 * AWS stores a normalized copy and DescribeResourcePolicies returns it (recorded against AWS in
 * LocalStack's `test_logs_resource_policies` snapshots): `Version` defaults to "2008-10-17",
 * one-element lists become plain strings (`"Service": ["route53.amazonaws.com"]` →
 * `"route53.amazonaws.com"`), keys come in IAM's order. PutResourcePolicy echoes the text as sent.
 */
import { ServiceError } from '../../../protocol/errors.ts';
import { regionlessArn } from '../../../lib/arn.ts';
import { checkPolicyDocument, isPolicyObject, type PolicyJson } from '../../../lib/policy-document.ts';

/** AWS's limit on an account-level policy document (the model allows 51,200 for log group policies). */
export const MAX_ACCOUNT_POLICY_CHARS = 5120;

export type { PolicyJson };

const isObject = isPolicyObject;

/** Parses a policy document; throws InvalidParameterException saying what is wrong. */
export function parsePolicyDocument(text: string): PolicyJson {
  const r = checkPolicyDocument(text);
  if (!r.ok) throw new ServiceError('InvalidParameterException', `Invalid policy document: ${r.reason}.`);
  return r.doc;
}

/** The document length rule for account-level policies. */
export function checkAccountPolicyLength(text: string): void {
  if (text.length > MAX_ACCOUNT_POLICY_CHARS) {
    throw new ServiceError(
      'InvalidParameterException',
      `Policy document length ${text.length} exceeds the limit of ${MAX_ACCOUNT_POLICY_CHARS} characters for an account-level resource policy. ` +
        'Attach the policy to the log group (resourceArn) or use fewer statements.',
    );
  }
}

const DOC_ORDER = ['Version', 'Id', 'Statement'];
const STATEMENT_ORDER = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

function ordered(obj: Record<string, unknown>, order: string[], value: (k: string, v: unknown) => unknown): Record<string, unknown> {
  const keys = [...order.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, value(k, obj[k])]));
}

const collapse = (v: unknown): unknown => (Array.isArray(v) && v.length === 1 ? v[0] : v);

/** A bare account id principal is stored as the account's root ARN, in the region's partition. */
function principalValue(v: unknown, region: string): unknown {
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([type, ids]) => {
    const list = Array.isArray(ids) ? ids : [ids];
    const mapped = type === 'AWS'
      ? list.map((id) => (typeof id === 'string' && /^\d{12}$/.test(id) ? regionlessArn('iam', { account: id, region }, 'root') : id))
      : list;
    return [type, collapse(mapped)];
  }));
}

function statementValue(k: string, v: unknown, region: string): unknown {
  if (k === 'Principal' || k === 'NotPrincipal') return principalValue(v, region);
  if (k === 'Condition' && isObject(v)) {
    return Object.fromEntries(Object.entries(v).map(([op, kv]) => [op, isObject(kv) ? Object.fromEntries(Object.entries(kv).map(([ck, cv]) => [ck, collapse(cv)])) : kv]));
  }
  return collapse(v);
}

/** The document as DescribeResourcePolicies returns it (see the header). */
export function normalizePolicyDocument(text: string, region: string): string {
  let doc: PolicyJson;
  try {
    doc = parsePolicyDocument(text);
  } catch {
    return text;
  }
  const withVersion = doc.Version === undefined ? { Version: '2008-10-17', ...doc } : doc;
  const out = ordered(withVersion, DOC_ORDER, (k, v) => {
    if (k !== 'Statement') return v;
    const list = Array.isArray(v) ? v : [v];
    return list.map((s) => ordered(s as Record<string, unknown>, STATEMENT_ORDER, (sk, sv) => statementValue(sk, sv, region)));
  });
  return JSON.stringify(out);
}
