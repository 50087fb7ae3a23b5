/**
 * Root-cause analytics: GetTraceSummaries reports the fault, error and response-time root causes of
 * a trace (the chain of services with their entity paths and exceptions, as in the X-Ray guide's
 * example), and `rootcause.*` filter expressions select traces by them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { GetTraceSummariesCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let xray: XRayClient;

before(async () => {
  server = await startTestServer({ modules: ['xray'] });
  xray = new XRayClient(sdkConfig(server.url));
});
after(async () => {
  xray?.destroy();
  await server?.stop();
  server?.cleanup();
});

const hex = (n: number) => randomBytes(n).toString('hex');
const now = Math.floor(Date.now() / 1000) - 30;

function failingTrace(): { traceId: string; docs: string[] } {
  const traceId = `1-${now.toString(16)}-${hex(12)}`;
  const call = hex(8);
  const frontend = {
    trace_id: traceId, id: hex(8), name: 'frontend', start_time: now, end_time: now + 1, http: { response: { status: 500 } }, fault: true,
    subsegments: [
      { id: call, name: 'backend', namespace: 'remote', start_time: now + 0.1, end_time: now + 0.5, fault: true, http: { response: { status: 500 } } },
      { id: hex(8), name: 'render', start_time: now + 0.5, end_time: now + 0.95 },
    ],
  };
  const backend = {
    trace_id: traceId, id: hex(8), parent_id: call, name: 'backend', start_time: now + 0.12, end_time: now + 0.48, fault: true,
    subsegments: [{ id: hex(8), name: 'deserialize', start_time: now + 0.13, end_time: now + 0.2, fault: true,
      cause: { exceptions: [{ id: hex(8), type: 'SerializationException', message: 'bad json at 1:7' }] } }],
  };
  return { traceId, docs: [JSON.stringify(frontend), JSON.stringify(backend)] };
}

const window = () => ({ StartTime: new Date((now - 300) * 1000), EndTime: new Date((now + 300) * 1000) });
const ids = async (FilterExpression: string) => (await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression }))).TraceSummaries!.map((s) => s.Id);

test('fault and response-time root causes in summaries, and rootcause.* filters', async () => {
  const { traceId, docs } = failingTrace();
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  const [summary] = (await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: 'service("frontend")' }))).TraceSummaries!;
  assert.deepEqual(summary!.FaultRootCauses, [{
    ClientImpacting: true,
    Services: [
      { Name: 'frontend', Names: ['frontend'], Inferred: false, EntityPath: [{ Name: 'frontend', Remote: false, Exceptions: [] }, { Name: 'backend', Remote: true, Exceptions: [] }] },
      { Name: 'backend', Names: ['backend'], Inferred: false, EntityPath: [{ Name: 'backend', Remote: false, Exceptions: [] },
        { Name: 'deserialize', Remote: false, Exceptions: [{ Name: 'SerializationException', Message: 'bad json at 1:7' }] }] },
    ],
  }]);
  assert.equal(summary!.ErrorRootCauses, undefined);
  // The time went to `render` (0.45 s of 1 s): the response-time path follows the longest child.
  assert.deepEqual(summary!.ResponseTimeRootCauses![0]!.Services!.map((s) => s.EntityPath!.map((e) => [e.Name, e.Coverage])), [[['frontend', 1], ['render', 0.45]]]);

  for (const expr of [
    'rootcause.fault.entity { last and name = "deserialize" }',
    'rootcause.fault.service { last and name = "backend" }',
    'rootcause.fault.service { first and name = "frontend" }',
    'rootcause.fault.exception { message CONTAINS "bad json" }',
    'rootcause.responsetime.entity { last and coverage >= 0.4 and name = "render" }',
  ]) assert.deepEqual(await ids(expr), [traceId], expr);
  for (const expr of ['rootcause.fault.service { name = "nope" }', 'rootcause.error.service { name = "frontend" }', 'rootcause.fault.entity { remote and last }']) {
    assert.deepEqual(await ids(expr), [], expr);
  }
});
