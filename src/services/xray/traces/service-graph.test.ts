import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeSegmentDocument } from '../segments/decode-segment.ts';
import { assembleTrace } from './assemble.ts';
import { ServiceGraphBuilder } from './service-graph.ts';

const example = JSON.parse(readFileSync(new URL('./testdata/scorekeep-trace.json', import.meta.url), 'utf8')) as { traceId: string; sent: Array<Record<string, unknown>> };

describe('service graph', () => {
  const decoded = example.sent.map((d) => {
    const r = decodeSegmentDocument(JSON.stringify(d), 0, { checkTraceEpoch: false });
    assert.ok(r.ok);
    return r.segment;
  });
  const g = new ServiceGraphBuilder();
  g.add(assembleTrace(example.traceId, decoded));
  const services = g.services();
  const label = (i: number | undefined): string => `${services[i!]!.Name}|${services[i!]!.Type}`;

  it('has a client node, the services that sent segments and the inferred resources', () => {
    assert.deepEqual(services.map((s) => [s.Name, s.Type, s.State, s.Root ?? false]).sort(), [
      ['SNS', 'AWS::SNS', 'unknown', false],
      ['Scorekeep', 'AWS::ElasticBeanstalk::Environment', 'active', true],
      ['Scorekeep', 'client', 'unknown', false],
      ['random-name', 'AWS::Lambda', 'active', false],
      ['random-name', 'AWS::Lambda::Function', 'active', false],
      ['scorekeep-user', 'AWS::DynamoDB::Table', 'unknown', false],
    ]);
  });

  it('connects callers to callees', () => {
    const edges = services.flatMap((s, i) => (s.Edges ?? []).map((e) => `${label(i)} → ${label(e.ReferenceId)}`)).sort();
    assert.deepEqual(edges, [
      'Scorekeep|AWS::ElasticBeanstalk::Environment → random-name|AWS::Lambda',
      'Scorekeep|AWS::ElasticBeanstalk::Environment → scorekeep-user|AWS::DynamoDB::Table',
      'Scorekeep|client → Scorekeep|AWS::ElasticBeanstalk::Environment',
      'random-name|AWS::Lambda → random-name|AWS::Lambda::Function',
      'random-name|AWS::Lambda::Function → SNS|AWS::SNS',
    ]);
  });

  it('counts requests and response times on nodes and edges', () => {
    const dynamo = services.find((s) => s.Type === 'AWS::DynamoDB::Table')!;
    assert.deepEqual(dynamo.SummaryStatistics, {
      OkCount: 1, ErrorStatistics: { ThrottleCount: 0, OtherCount: 0, TotalCount: 0 }, FaultStatistics: { OtherCount: 0, TotalCount: 0 }, TotalCount: 1, TotalResponseTime: 0.079,
    });
    assert.deepEqual(dynamo.ResponseTimeHistogram, [{ Value: 0.079, Count: 1 }]);
    const client = services.find((s) => s.Type === 'client')!;
    assert.equal(client.SummaryStatistics, undefined);
    assert.deepEqual(client.Edges![0]!.SummaryStatistics!.TotalResponseTime, 3.232);
  });
});
