import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourcePoliciesAllow, type ServiceWriteRequest } from './evaluate.ts';
import { normalizePolicyDocument, parsePolicyDocument } from './document.ts';
import { ServiceError } from '../../../protocol/errors.ts';

const GROUP = 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/events/orders';
const RULE = 'arn:aws:events:us-east-1:111111111111:rule/orders';

const req = (over: Partial<ServiceWriteRequest> = {}): ServiceWriteRequest => ({
  service: 'events.amazonaws.com', action: 'logs:PutLogEvents', logGroupArn: GROUP, logStreamName: 's1', ...over,
});

const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (over: Record<string, unknown> = {}) => ({
  Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${GROUP}:*`, ...over,
});

test('the EventBridge documented policy lets events.amazonaws.com create streams and put events', () => {
  const p = policy(allow());
  assert.equal(resourcePoliciesAllow([p], req()), true);
  assert.equal(resourcePoliciesAllow([p], req({ action: 'logs:CreateLogStream' })), true);
  assert.equal(resourcePoliciesAllow([p], req({ service: 'delivery.logs.amazonaws.com' })), true);
  assert.equal(resourcePoliciesAllow([p], req({ action: 'logs:DeleteLogGroup' })), false, 'action not granted');
  assert.equal(resourcePoliciesAllow([p], req({ service: 'route53.amazonaws.com' })), false, 'other service');
  assert.equal(resourcePoliciesAllow([p], req({ logGroupArn: GROUP.replace('orders', 'billing') })), false, 'other group');
  assert.equal(resourcePoliciesAllow([], req()), false, 'no policy, no access');
});

test('actions and resources take IAM wildcards; actions are case-insensitive, resources are not', () => {
  const wild = policy(allow({ Action: 'logs:*', Resource: 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/events/*' }));
  assert.equal(resourcePoliciesAllow([wild], req()), true);
  assert.equal(resourcePoliciesAllow([wild], req({ logGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:/app/x' })), false);
  assert.equal(resourcePoliciesAllow([policy(allow({ Action: 'LOGS:putlogevents' }))], req()), true);
  assert.equal(resourcePoliciesAllow([policy(allow({ Action: 'logs:Put?ogEvents' }))], req()), true);
  assert.equal(resourcePoliciesAllow([policy(allow({ Resource: GROUP.toUpperCase() }))], req()), false);
  assert.equal(resourcePoliciesAllow([policy(allow({ Resource: '*' }))], req()), true);
  // The bare group ARN, its `:*` form and the stream ARN all name the group.
  assert.equal(resourcePoliciesAllow([policy(allow({ Resource: GROUP }))], req()), true);
  assert.equal(resourcePoliciesAllow([policy(allow({ Resource: `${GROUP}:log-stream:s1` }))], req()), true);
  assert.equal(resourcePoliciesAllow([policy(allow({ Resource: `${GROUP}:log-stream:s2` }))], req()), false);
  assert.equal(resourcePoliciesAllow([policy(allow())], req({ logGroupArn: `${GROUP}:*` })), true, 'the caller may pass the :* form');
  // A statement without Resource applies to what the policy is attached to.
  assert.equal(resourcePoliciesAllow([policy(allow({ Resource: undefined }))], req()), true);
});

test('principals: a Service string or list, "*" and {"AWS": "*"}; IAM principals are not service principals', () => {
  assert.equal(resourcePoliciesAllow([policy(allow({ Principal: { Service: 'EVENTS.amazonaws.com' } }))], req()), true);
  assert.equal(resourcePoliciesAllow([policy(allow({ Principal: '*' }))], req()), true);
  assert.equal(resourcePoliciesAllow([policy(allow({ Principal: { AWS: '*' } }))], req()), true);
  assert.equal(resourcePoliciesAllow([policy(allow({ Principal: { AWS: 'arn:aws:iam::111111111111:root' } }))], req()), false);
});

test('an explicit Deny wins over any Allow, across policies', () => {
  const deny = policy({ Effect: 'Deny', Principal: { Service: 'events.amazonaws.com' }, Action: 'logs:PutLogEvents', Resource: '*' });
  assert.equal(resourcePoliciesAllow([policy(allow()), deny], req()), false);
  assert.equal(resourcePoliciesAllow([policy(allow()), deny], req({ action: 'logs:CreateLogStream' })), true);
});

test('aws:SourceArn / aws:SourceAccount conditions are evaluated; others grant nothing', () => {
  const arnEquals = policy(allow({ Condition: { ArnEquals: { 'aws:SourceArn': RULE } } }));
  assert.equal(resourcePoliciesAllow([arnEquals], req({ sourceArn: RULE })), true);
  assert.equal(resourcePoliciesAllow([arnEquals], req({ sourceArn: `${RULE}-2` })), false);
  assert.equal(resourcePoliciesAllow([arnEquals], req()), false, 'no source ARN in the context');
  const like = policy(allow({ Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111111111111:rule/*' }, StringEquals: { 'aws:SourceAccount': '111111111111' } } }));
  assert.equal(resourcePoliciesAllow([like], req({ sourceArn: RULE, sourceAccount: '111111111111' })), true);
  assert.equal(resourcePoliciesAllow([like], req({ sourceArn: RULE, sourceAccount: '222222222222' })), false);
  const ifExists = policy(allow({ Condition: { ArnLikeIfExists: { 'aws:SourceArn': 'arn:aws:events:*' } } }));
  assert.equal(resourcePoliciesAllow([ifExists], req()), true);
  const unknown = policy(allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } } }));
  assert.equal(resourcePoliciesAllow([unknown], req()), false);
  // A Deny that cannot be evaluated denies; NotAction Allows grant nothing.
  const unsureDeny = policy({ Effect: 'Deny', Principal: '*', Action: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
  assert.equal(resourcePoliciesAllow([policy(allow()), unsureDeny], req()), false);
  assert.equal(resourcePoliciesAllow([policy(allow({ Action: undefined, NotAction: 'logs:DeleteLogGroup' }))], req()), false);
});

test('malformed documents grant nothing', () => {
  assert.equal(resourcePoliciesAllow(['{not json', '[]', '{}'], req()), false);
  assert.equal(resourcePoliciesAllow([{ Statement: allow() }], req()), true, 'a single statement object and a parsed document work');
});

test('documents: parse errors name the problem; normalization is what DescribeResourcePolicies returns', () => {
  const bad = (text: string, re: RegExp) => assert.throws(() => parsePolicyDocument(text), (e: unknown) => e instanceof ServiceError && e.code === 'InvalidParameterException' && re.test(e.message));
  bad('{', /not valid JSON/);
  bad('[]', /JSON object/);
  bad('{"Statement":[]}', /Statement/);
  bad('{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"*"}]}', /Effect/);
  bad('{"Statement":[{"Effect":"Allow","Action":"*"}]}', /Principal/);
  bad('{"Statement":[{"Effect":"Allow","Principal":"*"}]}', /Action/);
  assert.equal(
    normalizePolicyDocument('{"Statement":{"Resource":["*"],"Action":["logs:PutLogEvents"],"Principal":{"AWS":["111111111111"]},"Effect":"Allow","Sid":"a"}}', 'cn-north-1'),
    '{"Version":"2008-10-17","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"AWS":"arn:aws-cn:iam::111111111111:root"},"Action":"logs:PutLogEvents","Resource":"*"}]}',
  );
  assert.equal(normalizePolicyDocument('{not json', 'us-east-1'), '{not json');
});
