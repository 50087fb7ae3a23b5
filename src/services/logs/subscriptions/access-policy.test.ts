import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidPolicyError, parseAccessPolicy, policyAllows } from './access-policy.ts';

const DEST = 'arn:aws:logs:us-east-1:999999999999:destination:testDestination';
const req = (account: string, extra: Partial<Parameters<typeof policyAllows>[1]> = {}) => ({
  account,
  action: 'logs:PutSubscriptionFilter',
  resource: DEST,
  ...extra,
});
const policy = (statement: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

test("the guide's policy allows the named account and nobody else", () => {
  const p = policy([{ Sid: '', Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'logs:PutSubscriptionFilter', Resource: DEST }]);
  assert.equal(policyAllows(p, req('111111111111')), true);
  assert.equal(policyAllows(p, req('222222222222')), false);
});

test('a statement object (not a list), account root ARNs and lists of principals are understood', () => {
  const p = JSON.stringify({
    Statement: { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:root', '333333333333'] }, Action: ['logs:PutSubscriptionFilter'], Resource: DEST },
  });
  assert.equal(policyAllows(p, req('222222222222')), true);
  assert.equal(policyAllows(p, req('333333333333')), true);
  assert.equal(policyAllows(p, req('111111111111')), false);
});

test('a principal ARN other than root allows only that principal', () => {
  const p = policy([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:user/alice' }, Action: 'logs:PutSubscriptionFilter', Resource: DEST }]);
  assert.equal(policyAllows(p, req('111111111111', { principalArn: 'arn:aws:iam::111111111111:user/alice' })), true);
  assert.equal(policyAllows(p, req('111111111111', { principalArn: 'arn:aws:iam::111111111111:user/bob' })), false);
  assert.equal(policyAllows(p, req('111111111111')), false);
});

test('wildcards: Principal "*", logs:* and resource globs', () => {
  assert.equal(policyAllows(policy([{ Effect: 'Allow', Principal: '*', Action: 'logs:*', Resource: '*' }]), req('444444444444')), true);
  assert.equal(policyAllows(policy([{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'LOGS:putsubscriptionfilter', Resource: 'arn:aws:logs:*:999999999999:destination:test*' }]), req('1')), true);
  assert.equal(policyAllows(policy([{ Effect: 'Allow', Principal: '*', Action: 'logs:PutSubscriptionFilter', Resource: 'arn:aws:logs:*:*:destination:other' }]), req('1')), false);
});

test('the action must match', () => {
  assert.equal(policyAllows(policy([{ Effect: 'Allow', Principal: '*', Action: 'logs:PutLogEvents', Resource: DEST }]), req('1')), false);
});

test('Deny beats Allow', () => {
  const p = policy([
    { Effect: 'Allow', Principal: '*', Action: 'logs:PutSubscriptionFilter', Resource: DEST },
    { Effect: 'Deny', Principal: { AWS: '666666666666' }, Action: 'logs:*', Resource: DEST },
  ]);
  assert.equal(policyAllows(p, req('555555555555')), true);
  assert.equal(policyAllows(p, req('666666666666')), false);
});

test('conditions cannot widen access: a conditional Allow grants nothing, a conditional Deny denies', () => {
  const orgAllow = { Effect: 'Allow', Principal: '*', Action: 'logs:PutSubscriptionFilter', Resource: DEST, Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-1234567890'] } } };
  assert.equal(policyAllows(policy([orgAllow]), req('1')), false);
  const plainAllow = { Effect: 'Allow', Principal: '*', Action: 'logs:PutSubscriptionFilter', Resource: DEST };
  assert.equal(policyAllows(policy([plainAllow, { ...orgAllow, Effect: 'Deny' }]), req('1')), false);
});

test('malformed policies are rejected with a reason and allow nothing', () => {
  assert.throws(() => parseAccessPolicy('{'), InvalidPolicyError);
  assert.throws(() => parseAccessPolicy('[]'), /JSON object/);
  assert.throws(() => parseAccessPolicy('{"Version":"2012-10-17"}'), /no Statement/);
  assert.throws(() => parseAccessPolicy(policy([{ Effect: 'Maybe', Principal: '*', Action: '*' }])), /Effect/);
  assert.throws(() => parseAccessPolicy(policy([{ Effect: 'Allow', Action: '*' }])), /Principal/);
  assert.equal(policyAllows('not json', req('1')), false);
});
