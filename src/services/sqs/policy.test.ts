import assert from 'node:assert/strict';
import { test } from 'node:test';
import { policyAllows, type AccessRequest } from './policy.ts';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:q';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:t';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (extra: object) => ({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: QUEUE, ...extra });

const sns = (sourceArn = TOPIC): AccessRequest => ({
  principalArn: 'sns.amazonaws.com', account: '000000000000', action: 'sqs:SendMessage', resource: QUEUE,
  service: { name: 'sns.amazonaws.com', sourceArn, sourceAccount: '000000000000' },
});
const other: AccessRequest = { principalArn: 'arn:aws:iam::111111111111:root', account: '111111111111', action: 'sqs:SendMessage', resource: QUEUE };

test('a service principal needs a statement naming it (or *) whose aws:SourceArn condition holds', () => {
  const byService = doc(allow({ Principal: { Service: 'sns.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } } }));
  assert.equal(policyAllows(byService, sns()), true);
  assert.equal(policyAllows(byService, sns(`${TOPIC}-other`)), false);
  assert.equal(policyAllows(byService, { ...sns(), service: { ...sns().service!, name: 'events.amazonaws.com' } }), false);
  const anyone = doc(allow({ Principal: { AWS: '*' }, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:t*' } } }));
  assert.equal(policyAllows(anyone, sns()), true);
  assert.equal(policyAllows(anyone, other), false, 'a direct caller has no aws:SourceArn');
  const byAccount = doc(allow({ Principal: { AWS: 'arn:aws:iam::000000000000:root' } }));
  assert.equal(policyAllows(byAccount, sns()), false, 'an account principal does not cover a service');
  assert.equal(policyAllows(doc(allow({ Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': '000000000000' } } })), sns()), true);
  assert.equal(policyAllows(undefined, sns()), false);
});

test('a Deny wins, one that cannot be evaluated denies, and an unknown condition never allows', () => {
  const ok = allow({ Principal: { Service: 'sns.amazonaws.com' } });
  assert.equal(policyAllows(doc(ok, { Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: '*', Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } } }), sns()), false);
  assert.equal(policyAllows(doc(ok, { Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: '*', Condition: { ArnEquals: { 'aws:SourceArn': 'x' } } }), sns()), true);
  assert.equal(policyAllows(doc(ok, { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '1.2.3.4' } } }), sns()), false);
  assert.equal(policyAllows(doc(allow({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })), sns()), false);
});

test('an account caller is matched by its account, root or ARN, as before', () => {
  assert.equal(policyAllows(doc(allow({ Principal: { AWS: '111111111111' } })), other), true);
  assert.equal(policyAllows(doc(allow({ Principal: { AWS: ['arn:aws:iam::111111111111:root'] }, Action: 'SQS:*' })), other), true);
  assert.equal(policyAllows(doc(allow({ Principal: { AWS: '222222222222' } })), other), false);
});
