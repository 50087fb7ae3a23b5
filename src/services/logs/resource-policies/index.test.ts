import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempMetaDb } from '../../../store/meta/test-support.ts';
import { LogsMetaStore } from '../../../store/meta/logs.ts';
import { ResourcePolicyStore } from '../../../store/meta/resource-policies.ts';
import { serviceMayWriteToLogGroup } from './index.ts';

const A = '111111111111';
const GROUP_ARN = `arn:aws:logs:us-east-1:${A}:log-group:/aws/events/orders`;
const statement = (service: string, resource: string) => JSON.stringify({
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: resource }],
});

test('serviceMayWriteToLogGroup: the account-level policies and the group\'s own policy decide together', async (t) => {
  const { db } = await tempMetaDb(t, 'osprey-rp-check-');
  const meta = new LogsMetaStore(db);
  await meta.createGroup({
    account: A, region: 'us-east-1', name: '/aws/events/orders', createdAt: 1, retentionDays: null, kmsKeyId: null,
    logGroupClass: 'STANDARD', deletionProtection: false, tags: {},
  });
  const policies = new ResourcePolicyStore(db);
  const scope = { account: A, region: 'us-east-1', logGroup: '/aws/events/orders' };
  const events = { service: 'events.amazonaws.com', action: 'logs:PutLogEvents', logGroupArn: GROUP_ARN, logStreamName: 's' };
  assert.equal(await serviceMayWriteToLogGroup({ policies }, scope, events), false, 'no policy');

  await policies.put({ account: A, region: 'us-east-1', scope: 'ACCOUNT', policyName: 'events', logGroup: null, resourceArn: null,
    document: statement('events.amazonaws.com', `arn:aws:logs:us-east-1:${A}:log-group:/aws/events/*:*`), revisionId: null, updatedAt: 1 }, 10);
  assert.equal(await serviceMayWriteToLogGroup({ policies }, scope, events), true, 'account-level policy');
  assert.equal(await serviceMayWriteToLogGroup({ policies }, scope, { ...events, service: 'delivery.logs.amazonaws.com' }), false);

  await policies.put({ account: A, region: 'us-east-1', scope: 'RESOURCE', policyName: null, logGroup: '/aws/events/orders', resourceArn: GROUP_ARN,
    document: statement('delivery.logs.amazonaws.com', `${GROUP_ARN}:*`), revisionId: 'r1', updatedAt: 1 }, 10);
  assert.equal(await serviceMayWriteToLogGroup({ policies }, scope, { ...events, service: 'delivery.logs.amazonaws.com' }), true, 'log group policy');
  // Another region's policies say nothing about this group.
  assert.equal(await serviceMayWriteToLogGroup({ policies }, { ...scope, region: 'eu-west-1' }, events), false);
});
