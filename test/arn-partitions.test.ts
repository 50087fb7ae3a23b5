// Resources created in the China and GovCloud regions carry their partition in their ARNs
// (arn:aws-cn:…, arn:aws-us-gov:…), as AWS's do, and the APIs that take an ARN accept them.
// SDK v3 against one server, one client set per region.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchClient, PutMetricAlarmCommand, PutCompositeAlarmCommand, DescribeAlarmsCommand, PutDashboardCommand, GetDashboardCommand,
  ListDashboardsCommand, TagResourceCommand as CwTag, ListTagsForResourceCommand as CwListTags,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, TagResourceCommand as LogsTag,
  ListTagsForResourceCommand as LogsListTags, DescribeLogStreamsCommand, CreateLogStreamCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  SNSClient, CreateTopicCommand, GetTopicAttributesCommand, TagResourceCommand as SnsTag, ListTagsForResourceCommand as SnsListTags,
} from '@aws-sdk/client-sns';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

const ACCOUNT = '000000000000';
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const REGIONS: [string, string][] = [['cn-north-1', 'aws-cn'], ['cn-northwest-1', 'aws-cn'], ['us-gov-west-1', 'aws-us-gov'], ['us-east-1', 'aws']];

for (const [region, partition] of REGIONS) {
  test(`${region}: log groups, alarms, dashboards and topics have arn:${partition}: ARNs that the ARN-taking APIs accept`, async () => {
    const cw = new CloudWatchClient(sdkConfig(server.url, region));
    const logs = new CloudWatchLogsClient(sdkConfig(server.url, region));
    const sns = new SNSClient(sdkConfig(server.url, region));
    try {
      // Log group: both ARN forms, tagging by ARN, and logGroupIdentifier as an ARN.
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/p/app' }));
      const [g] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/p/app' }))).logGroups!;
      assert.equal(g!.arn, `arn:${partition}:logs:${region}:${ACCOUNT}:log-group:/p/app:*`);
      assert.equal(g!.logGroupArn, `arn:${partition}:logs:${region}:${ACCOUNT}:log-group:/p/app`);
      await logs.send(new LogsTag({ resourceArn: g!.logGroupArn, tags: { team: 'obs' } }));
      assert.deepEqual((await logs.send(new LogsListTags({ resourceArn: g!.logGroupArn }))).tags, { team: 'obs' });
      await logs.send(new CreateLogStreamCommand({ logGroupName: '/p/app', logStreamName: 's' }));
      const [s] = (await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: g!.logGroupArn }))).logStreams!;
      assert.equal(s!.arn, `arn:${partition}:logs:${region}:${ACCOUNT}:log-group:/p/app:log-stream:s`);

      // Alarm: DescribeAlarms' ARN, tagging by it, and a composite rule that names it.
      await cw.send(new PutMetricAlarmCommand({
        AlarmName: 'cpu', Namespace: 'App', MetricName: 'CPU', Statistic: 'Average', Period: 60, EvaluationPeriods: 1,
        Threshold: 90, ComparisonOperator: 'GreaterThanThreshold',
      }));
      const alarmArn = `arn:${partition}:cloudwatch:${region}:${ACCOUNT}:alarm:cpu`;
      assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['cpu'] }))).MetricAlarms![0]!.AlarmArn, alarmArn);
      await cw.send(new CwTag({ ResourceARN: alarmArn, Tags: [{ Key: 'team', Value: 'obs' }] }));
      assert.deepEqual((await cw.send(new CwListTags({ ResourceARN: alarmArn }))).Tags, [{ Key: 'team', Value: 'obs' }]);
      await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'any', AlarmRule: `ALARM("${alarmArn}")` }));
      const composite = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['any'], AlarmTypes: ['CompositeAlarm'] }))).CompositeAlarms![0]!;
      assert.equal(composite.AlarmArn, `arn:${partition}:cloudwatch:${region}:${ACCOUNT}:alarm:any`);

      // Dashboard: a regionless ARN, still in the partition of the call's region.
      await cw.send(new PutDashboardCommand({ DashboardName: `d-${region}`, DashboardBody: '{"widgets":[]}' }));
      const dashboardArn = `arn:${partition}:cloudwatch::${ACCOUNT}:dashboard/d-${region}`;
      assert.equal((await cw.send(new GetDashboardCommand({ DashboardName: `d-${region}` }))).DashboardArn, dashboardArn);
      const listed = (await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: `d-${region}` }))).DashboardEntries!;
      assert.deepEqual(listed.map((d) => d.DashboardArn), [dashboardArn]);

      // Topic: its ARN, the TopicArn attribute and policy resource, and tagging by it.
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
      assert.equal(TopicArn, `arn:${partition}:sns:${region}:${ACCOUNT}:alerts`);
      const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
      assert.equal(attrs.TopicArn, TopicArn);
      assert.equal(JSON.parse(attrs.Policy!).Statement[0].Resource, TopicArn);
      await sns.send(new SnsTag({ ResourceArn: TopicArn, Tags: [{ Key: 'team', Value: 'obs' }] }));
      assert.deepEqual((await sns.send(new SnsListTags({ ResourceArn: TopicArn }))).Tags, [{ Key: 'team', Value: 'obs' }]);
    } finally {
      cw.destroy();
      logs.destroy();
      sns.destroy();
    }
  });
}
