/**
 * X-Ray segments are acknowledged from the write-ahead log: after SIGKILLs during concurrent
 * PutTraceSegments, every acknowledged trace is in the service graph (and a sample in
 * BatchGetTraces), and nothing beyond what the killed requests may have written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetTracesCommand, GetServiceGraphCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { sdkConfig, startTestServer } from './helpers/server.ts';

const hex = (n: number) => randomBytes(n).toString('hex');

test('SIGKILL during concurrent PutTraceSegments ×3: every acknowledged segment is stored', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-xray-crash-'));
  const start = Math.floor(Date.now() / 1000) - 30;
  const acked: string[] = [];
  try {
    for (let round = 0; round < 3; round++) {
      const server = await startTestServer({ dataDir, modules: ['xray'] });
      const xray = new XRayClient(sdkConfig(server.url));
      let stop = false;
      const writer = async () => {
        while (!stop) {
          const traceIds = Array.from({ length: 25 }, () => `1-${start.toString(16)}-${hex(12)}`);
          const docs = traceIds.map((trace_id) => JSON.stringify({ trace_id, id: hex(8), name: 'crash-svc', start_time: start + Math.random(), end_time: start + 1.5 }));
          try {
            const r = await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
            assert.deepEqual(r.UnprocessedTraceSegments, []);
            acked.push(...traceIds);
          } catch {
            return;
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      await new Promise((r) => setTimeout(r, 700 + round * 300));
      await server.kill();
      stop = true;
      await Promise.all(writers);
      xray.destroy();
    }
    assert.ok(acked.length > 0, 'some segments were acknowledged');
    const server = await startTestServer({ dataDir, modules: ['xray'] });
    const xray = new XRayClient(sdkConfig(server.url));
    try {
      // BatchGetTraces takes 5 ids a call: every 20th batch of acknowledged traces.
      for (let i = 0; i < acked.length; i += 100) {
        const ids = acked.slice(i, i + 5);
        const r = await xray.send(new BatchGetTracesCommand({ TraceIds: ids }));
        assert.deepEqual(r.UnprocessedTraceIds, [], `acknowledged traces missing: ${r.UnprocessedTraceIds?.join(', ')}`);
        assert.equal(r.Traces!.length, ids.length);
        for (const t of r.Traces!) assert.equal(t.Segments!.length, 1, t.Id);
      }
      const graph = await xray.send(new GetServiceGraphCommand({ StartTime: new Date((start - 60) * 1000), EndTime: new Date((start + 60) * 1000) }));
      const svc = graph.Services!.find((s) => s.Name === 'crash-svc' && s.Type !== 'client')!;
      // Requests in flight at a kill may have reached the WAL unacknowledged: 4 writers × 25 × 3 rounds at most.
      const counted = svc.SummaryStatistics!.TotalCount!;
      assert.ok(counted >= acked.length && counted <= acked.length + 300, `graph counts ${counted} of ${acked.length} acknowledged`);
    } finally {
      xray.destroy();
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
