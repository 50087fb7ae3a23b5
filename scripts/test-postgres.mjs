#!/usr/bin/env node
// The integration tests whose services keep most of their state in the metadata store, run again
// with every test server's metadata on PostgreSQL (OSPREY_TEST_METADATA=postgres: one database per
// server on a throwaway cluster). `npm test` already runs every metadata repository's unit tests on
// both engines and test/scale-out.test.ts on PostgreSQL; the whole suite on PostgreSQL is
// `OSPREY_TEST_METADATA=postgres npm test` (about as long as `npm test`, too long to add to CI).
// Usage: node scripts/test-postgres.mjs [--help]
import { spawn } from 'node:child_process';

const FILES = [
  'alarms-flow', 'alarms', 'anomaly-detection', 'athena', 'cloudtrail-trails', 'contributor-insights',
  'crash-safety-sqs', 'events-core', 'events-sqs', 'events-api-destinations', 'firehose-clients', 'health',
  'kinesis-core', 'logs-core.sdk', 'logs-metric-filters', 'logs-resource-policies', 'logs-subscriptions',
  'metrics-clients', 'metrics-dashboards', 'scheduler', 'schemas', 'sns-core', 'sns-sqs', 'sqs-core',
  'sqs-accounts-fifo', 'ssm-parameters', 'synthetics-api', 'xray-account-apis', 'xray-tags-encryption',
].map((f) => `test/${f}.test.ts`);

if (process.argv.includes('--help')) {
  console.log(`usage: node scripts/test-postgres.mjs\nruns ${FILES.length} integration test files with metadata on PostgreSQL`);
  process.exit(0);
}
const child = spawn(process.execPath, ['scripts/run-tests.mjs', ...FILES], {
  stdio: 'inherit', env: { ...process.env, OSPREY_TEST_METADATA: 'postgres' },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
