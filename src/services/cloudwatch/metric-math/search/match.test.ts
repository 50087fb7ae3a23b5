import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesSearch, type SearchableMetric } from './match.ts';
import { parseSearchQuery } from './parse.ts';

const metric = (namespace: string, metricName: string, dimensions: Record<string, string> = {}, accountId?: string): SearchableMetric => ({
  namespace,
  metricName,
  dimensions,
  ...(accountId ? { accountId } : {}),
});

const cpuByInstance = metric('AWS/EC2', 'CPUUtilization', { InstanceId: 'i-1234567890123456' });
const cpuByInstance2 = metric('AWS/EC2', 'CPUUtilization', { InstanceId: 'i-0aaa' });
const cpuByType = metric('AWS/EC2', 'CPUUtilization', { InstanceType: 't2.micro' });
const cpuByTypeLarge = metric('AWS/EC2', 'CPUUtilization', { InstanceType: 'm5.large' });
const cpuAll = metric('AWS/EC2', 'CPUUtilization');
const networkPackets = metric('AWS/EC2', 'NetworkPacketsIn', { InstanceId: 'i-0aaa' });
const ecsCpu = metric('AWS/ECS', 'CPUUtilization', { ClusterName: 'prod' });
const lambdaErrors = metric('AWS/Lambda', 'Errors', { FunctionName: 'ProjectC-api' });
const lambdaInvA = metric('AWS/Lambda', 'Invocations', { FunctionName: 'ProjectA-handler' });
const lambdaInvC = metric('AWS/Lambda', 'Invocations', { FunctionName: 'ProjectC-api' });
const ebsRead = metric('AWS/EBS', 'VolumeReadOps', { VolumeId: 'vol-1' });
const ec2Read = metric('AWS/EC2', 'DiskReadOps', { InstanceId: 'i-0aaa' });
const rdsRead = metric('AWS/RDS', 'ReadIOPS', { DBInstanceIdentifier: 'db' });
const custom = metric('MyApp', 'CustomCount1', { Stage: 'prod' });
const connErrors = metric('MyApp', 'ConnectionErrors');
const lowerErrors = metric('MyApp', 'errors');
const elbLcu = metric('AWS/NetworkELB', 'ConsumedLCUs', { LoadBalancer: 'net/lb/1' });
const elbFlows = metric('AWS/NetworkELB', 'ActiveFlowCount', { LoadBalancer: 'net/lb/1' });
const elbBytes = metric('AWS/NetworkELB', 'ProcessedBytes', { LoadBalancer: 'net/lb/1' });

const all = [cpuByInstance, cpuByInstance2, cpuByType, cpuByTypeLarge, cpuAll, networkPackets, ecsCpu, lambdaErrors, lambdaInvA, lambdaInvC, ebsRead, ec2Read, rdsRead, custom, connErrors, lowerErrors, elbLcu, elbFlows, elbBytes];

const found = (query: string, metrics: SearchableMetric[] = all): SearchableMetric[] => {
  const q = parseSearchQuery(query);
  return metrics.filter((m) => matchesSearch(q, m));
};

describe('metric schema: exact namespace and exact set of dimension names', () => {
  test("{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\": one line per instance", () => {
    assert.deepEqual(found(' {AWS/EC2,InstanceId} MetricName="CPUUtilization" '), [cpuByInstance, cpuByInstance2]);
  });
  test('{AWS/EC2,InstanceType}: one line per instance type', () => {
    assert.deepEqual(found(' {AWS/EC2,InstanceType} MetricName="CPUUtilization" '), [cpuByType, cpuByTypeLarge]);
  });
  test('{AWS/EC2}: the metric without dimensions (the aggregate over all instances)', () => {
    assert.deepEqual(found(' {AWS/EC2} MetricName="CPUUtilization" '), [cpuAll]);
  });
  test('dimension names match in any order', () => {
    const m = metric('NS', 'M', { B: '1', A: '2' });
    assert.deepEqual(found('{NS, A, B}', [m]), [m]);
    assert.deepEqual(found('{NS, A}', [m]), []);
  });
});

describe('search terms (doc examples)', () => {
  test('partial designator value: InstanceType=micro', () => {
    assert.deepEqual(found(' {AWS/EC2,InstanceType} InstanceType=micro MetricName="CPUUtilization" '), [cpuByType]);
    assert.deepEqual(found(' InstanceType=micro '), [cpuByType]);
  });
  test('exact designator value: InstanceType="t2.micro" Namespace="AWS/EC2"', () => {
    assert.deepEqual(found(' InstanceType="t2.micro" Namespace="AWS/EC2" '), [cpuByType]);
    assert.deepEqual(found(' InstanceType="micro" '), []);
  });
  test('MetricName="CPUUtilization" across namespaces, narrowed with ("AWS/ECS" OR "AWS/ES")', () => {
    assert.deepEqual(found(' MetricName="CPUUtilization" '), [cpuByInstance, cpuByInstance2, cpuByType, cpuByTypeLarge, cpuAll, ecsCpu]);
    assert.deepEqual(found(' MetricName="CPUUtilization" AND ("AWS/ECS" OR "AWS/ES") '), [ecsCpu]);
  });
  test('"ConsumedLCUs" OR flow', () => {
    assert.deepEqual(found(' {AWS/NetworkELB, LoadBalancer} "ConsumedLCUs" OR flow '), [elbLcu, elbFlows]);
  });
  test('nested grouping: Errors of all functions, Invocations of ProjectA or ProjectB', () => {
    assert.deepEqual(
      found(' {AWS/Lambda,FunctionName} MetricName="Errors" OR (MetricName="Invocations" AND (ProjectA OR ProjectB)) '),
      [lambdaErrors, lambdaInvA],
    );
  });
  test('(EC2 OR EBS) AND MetricName=ReadOps', () => {
    assert.deepEqual(found(' (EC2 OR EBS) AND MetricName=ReadOps '), [ebsRead, ec2Read]);
    assert.deepEqual(found(' (EC2 OR EBS) MetricName=ReadOps '), [ebsRead, ec2Read]);
  });
  test('NOT excludes: all CPUUtilization except one instance', () => {
    assert.deepEqual(found(' {AWS/EC2,InstanceId} MetricName="CPUUtilization" NOT i-1234567890123456 '), [cpuByInstance2]);
  });
  test('NOT Namespace=AWS: custom metrics only', () => {
    assert.deepEqual(found(' NOT Namespace=AWS '), [custom, connErrors, lowerErrors]);
  });
  test('Errors (partial) vs "Errors" (exact)', () => {
    assert.deepEqual(found(' Errors '), [lambdaErrors, connErrors, lowerErrors]);
    assert.deepEqual(found(' "Errors" '), [lambdaErrors]);
  });
  test('an exact term matches namespaces, metric names, dimension names and dimension values', () => {
    assert.deepEqual(found(' "MyApp" '), [custom, connErrors, lowerErrors]);
    assert.deepEqual(found(' "Stage" '), [custom]);
    assert.deepEqual(found(' "prod" '), [ecsCpu, custom]);
    assert.deepEqual(found(' {MyApp, Stage}, "CustomCount1" '), [custom]);
    assert.deepEqual(found(' {MyApp, Stage}, "customcount1" '), []);
    assert.deepEqual(found(' {MyApp, Stage}, "Custom" '), []);
  });
  test('network packets (implicit AND)', () => {
    assert.deepEqual(found('{AWS/EC2,InstanceId} network packets'), [networkPackets]);
    assert.deepEqual(found('{AWS/EC2,InstanceId} network AND packets'), [networkPackets]);
  });
  test('a dimension designator requires that dimension', () => {
    assert.deepEqual(found('ClusterName=prod'), [ecsCpu]);
  });
});

describe(':aws.AccountId', () => {
  const local = metric('MyApp', 'Latency');
  const remote = metric('MyApp', 'Latency', {}, '444455556666');
  test("LOCAL is the monitoring account; an id is that account", () => {
    assert.deepEqual(found(':aws.AccountId = LOCAL', [local, remote]), [local]);
    assert.deepEqual(found(':aws.AccountId = "444455556666"', [local, remote]), [remote]);
  });
});
