import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIGRATIONS as META } from '../store/meta/migrations.ts';
import { MIGRATIONS as TELEMETRY } from '../store/telemetry/migrations.ts';
import { pendingSteps, unknownSteps } from './schema-versions.ts';

const all = { meta: META.map((m) => m.id), telemetry: TELEMETRY.map((m) => m.id) };

test('stores at this build\'s versions have nothing unknown and nothing pending', () => {
  assert.deepEqual(unknownSteps(all), []);
  assert.deepEqual(pendingSteps(all), []);
});

test('steps of a newer build are unknown; this build\'s missing steps are pending', () => {
  assert.deepEqual(unknownSteps({ meta: [...all.meta, 9999], telemetry: [...all.telemetry, '9999_future'] }), ['metadata migration 9999', 'telemetry migration 9999_future']);
  assert.deepEqual(pendingSteps({ meta: all.meta.slice(0, -1), telemetry: all.telemetry.slice(1) }), [`metadata migration ${all.meta.at(-1)}`, `telemetry migration ${all.telemetry[0]}`]);
});
