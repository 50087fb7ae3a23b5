import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgentConfigError, checkAgentConfig } from './load.ts';

const problems = (json: unknown): string[] => {
  try {
    checkAgentConfig(json);
  } catch (e) {
    if (e instanceof AgentConfigError) return e.problems;
    throw e;
  }
  return [];
};

test('a valid config passes; every problem is reported with its key path', () => {
  assert.deepEqual(problems({ agent: { metrics_collection_interval: 10 }, metrics: { metrics_collected: { mem: { measurement: ['mem_used_percent'] } } } }), []);
  assert.deepEqual(problems({ agent: { metrics_collection_interval: 0, colour: 'red' }, metrics: { metrics_collected: { disk: { resources: ['/'] } } } }), [
    'Under path : /agent/metrics_collection_interval | Error : Too small: expected number to be >=1',
    'Under path : /agent | Error : Additional property colour is not allowed',
    'Under path : /metrics/metrics_collected/disk | Error : measurement is required',
  ]);
  assert.match(problems({ traces: {}, metrics: { metrics_collected: { procstat: {} } } }).join('\n'), /\/traces \| Error : trace collection is not supported[\s\S]*\/metrics\/metrics_collected\/procstat/);
  assert.deepEqual(problems({ agent: {} }), ['Under path : / | Error : the config collects nothing: add a "metrics" or "logs" section']);
  assert.deepEqual(problems({ logs: { logs_collected: { files: { collect_list: [{ file_path: '/var/log/app.log', retention_in_days: 2 }] } } } }), [
    'Under path : /logs/logs_collected/files/collect_list/0/retention_in_days | Error : Invalid input',
  ]);
});
