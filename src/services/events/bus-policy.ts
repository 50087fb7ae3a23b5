/**
 * Event bus resource policies: the statements Put/RemovePermission manage, and whether a policy lets
 * another account put events on the bus (cross-account targets and PutEvents to a bus ARN).
 */
import { ServiceError } from '../../protocol/errors.ts';
import { validation } from './names.ts';

export interface Statement {
  Sid?: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

export function parsePolicy(text: string | undefined): PolicyDocument {
  if (text === undefined) return { Version: '2012-10-17', Statement: [] };
  try {
    const doc = JSON.parse(text) as PolicyDocument;
    if (!doc || !Array.isArray(doc.Statement)) throw new Error('no Statement list');
    return doc;
  } catch {
    throw validation('Parameter Policy is not valid. Reason: the policy is not a valid JSON policy document.');
  }
}

/** The statement PutPermission's Action/Principal/StatementId/Condition form describes. */
export function permissionStatement(busArn: string, p: { Action?: string; Principal?: string; StatementId?: string; Condition?: { Type?: string; Key?: string; Value?: string } }): Statement {
  if (p.Action !== 'events:PutEvents') throw validation('Parameter Action is not valid. Reason: Provided value in parameter \'action\' is not supported.');
  if (!p.Principal || !p.StatementId) throw validation('Parameter(s) Principal, StatementId must be specified when Policy is not.');
  if (p.Principal !== '*' && !/^\d{12}$/.test(p.Principal)) throw validation('Parameter Principal is not valid. Reason: Principal must be an AWS account ID or *.');
  if (p.Principal === '*' && !p.Condition) {
    throw validation("Parameter Condition is not valid. Reason: a Condition is required when the Principal is '*'.");
  }
  return {
    Sid: p.StatementId, Effect: 'Allow',
    Principal: p.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${p.Principal}:root` },
    Action: 'events:PutEvents', Resource: busArn,
    ...(p.Condition ? { Condition: { [p.Condition.Type ?? 'StringEquals']: { [p.Condition.Key ?? 'aws:PrincipalOrgID']: p.Condition.Value ?? '' } } } : {}),
  };
}

export function withoutStatement(doc: PolicyDocument, sid: string): PolicyDocument {
  const kept = doc.Statement.filter((s) => s.Sid !== sid);
  if (kept.length === doc.Statement.length) throw new ServiceError('ResourceNotFoundException', 'Statement with the provided id does not exist.');
  return { ...doc, Statement: kept };
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const wildcard = (pattern: string, value: string) =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

function principalMatches(principal: unknown, account: string): boolean {
  if (principal === '*') return true;
  const aws = (principal as { AWS?: string | string[] } | null)?.AWS;
  if (aws === undefined) return false;
  return list(aws).some((p) => p === '*' || p === account || new RegExp(`^arn:aws[\\w-]*:iam::${account}:root$`).test(p));
}

/**
 * Whether `account` may put events on the bus. Osprey has no AWS Organizations, so a statement
 * conditioned on an organization (aws:PrincipalOrgID) never matches; other conditions likewise.
 */
export function policyAllowsPutEvents(text: string | undefined, account: string, busArn: string): boolean {
  if (text === undefined) return false;
  let doc: PolicyDocument;
  try {
    doc = parsePolicy(text);
  } catch {
    return false;
  }
  return doc.Statement.some((s) =>
    s.Effect === 'Allow' && s.Condition === undefined && principalMatches(s.Principal, account) &&
    list(s.Action).some((a) => a === 'events:PutEvents' || a === 'events:*' || a === '*') &&
    list(s.Resource).some((r) => wildcard(r, busArn)));
}
