import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportFileName, syntheticsReport } from './report.ts';

test('the SyntheticsReport has AWS\'s top-level and customerScript fields', () => {
  const report = syntheticsReport({
    canaryName: 'shop',
    startTime: '2024-01-01T00:00:00.000Z',
    endTime: '2024-01-01T00:00:05.000Z',
    status: 'FAILED',
    failureReason: 'Step checkout failed',
    steps: [
      { stepNum: 1, stepName: 'home', status: 'PASSED', startTime: 'a', endTime: 'b', sourceUrl: 'about:blank', destinationUrl: 'http://x/', screenshots: [{ fileName: '01-home-succeeded.png' }] },
      { stepNum: 2, stepName: 'checkout', status: 'RUNNING', startTime: 'c', screenshots: [] },
    ],
    requests: { '2xx': 3, '3xx': 1, '4xx': 0, '5xx': 1, failed: 2 },
    executionErrors: [],
    customReports: [{ name: 'BrokenLinkCheckerReport', content: { totalBrokenLinks: 0 } }],
    launchMs: 800,
    setupMs: 40,
  });
  assert.equal(reportFileName('FAILED'), 'SyntheticsReport-FAILED.json');
  assert.equal(report.canaryName, 'shop');
  assert.equal(report.executionStatus, 'PASSED');
  assert.equal(report.timeSpentInLaunchInMs, 800);
  const script = report.customerScript as { status: string; requests: unknown; steps: Record<string, unknown>[] };
  assert.equal(script.status, 'FAILED');
  assert.deepEqual(script.requests, { _2xx: 3, _3xx: 1, _4xx: 0, _5xx: 1, failed: 2 });
  assert.equal(script.steps[0]?.status, 'PASSED');
  assert.deepEqual(script.steps[0]?.screenshots, [{ fileName: '01-home-succeeded.png' }]);
  // A step cut off mid-way reads as failed, ended when the run ended.
  assert.equal(script.steps[1]?.status, 'FAILED');
  assert.equal(script.steps[1]?.endTime, '2024-01-01T00:00:05.000Z');
  assert.deepEqual(report.customReports, { BrokenLinkCheckerReport: { totalBrokenLinks: 0 } });
});
