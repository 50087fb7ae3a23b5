import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_DEFAULTS, methodSuffix, SyntheticsConfiguration } from './config.ts';

type Builder = SyntheticsConfiguration & Record<string, (...args: unknown[]) => unknown>;

test('defaults are the ones AWS documents', () => {
  const c = new SyntheticsConfiguration();
  assert.equal(c.get('continueOnStepFailure'), false);
  assert.equal(c.get('continueOnHttpStepFailure'), true);
  assert.equal(c.get('harFile'), true);
  assert.equal(c.get('screenshotOnStepStart'), true);
  assert.equal(c.get('includeRequestHeaders'), false);
  assert.equal(c.get('logRequest'), true);
  assert.equal(c.get('visualMonitoringTotalComparisonsMetric'), false);
  assert.equal(c.get('failCanaryRunOnVisualVariance'), true);
});

test('setConfig sets known options and ignores unknown ones', () => {
  const c = new SyntheticsConfiguration();
  c.setConfig({ screenshotOnStepStart: false, restrictedHeaders: ['Authorization'], nonsense: 1 });
  assert.equal(c.get('screenshotOnStepStart'), false);
  assert.deepEqual(c.get('restrictedHeaders'), ['Authorization']);
  assert.equal((c as unknown as Record<string, unknown>).nonsense, undefined);
});

test('every option has a chainable with…() and a get…() named as AWS names them', () => {
  const c = new SyntheticsConfiguration() as Builder;
  for (const key of Object.keys(CONFIG_DEFAULTS)) {
    assert.equal(typeof c[`with${methodSuffix(key)}`], 'function', key);
    assert.equal(typeof c[`get${methodSuffix(key)}`], 'function', key);
  }
  assert.equal(c.withHarFile(false), c);
  assert.equal(c.getHarFile(), false);
  const chained = c.with2xxMetric(false) as Builder;
  (chained.withVisualCompareWithBaseRun(true) as Builder).withVisualVarianceThresholdPercentage(2.5);
  assert.equal(c.get2xxMetric(), false);
  assert.equal(c.getVisualCompareWithBaseRun(), true);
  assert.equal(c.getVisualVarianceThresholdPercentage(), 2.5);
});

test('grouped switches flip their whole group', () => {
  const c = new SyntheticsConfiguration();
  c.disableStepScreenshots();
  assert.deepEqual([c.get('screenshotOnStepStart'), c.get('screenshotOnStepSuccess'), c.get('screenshotOnStepFailure')], [false, false, false]);
  c.enableReportingOptions();
  assert.equal(c.get('includeResponseBody'), true);
  c.disableRequestMetrics();
  assert.deepEqual([c.get('_4xxMetric'), c.get('aggregated5xxMetric')], [false, false]);
  c.disableStepMetrics();
  assert.equal(c.get('stepDurationMetric'), false);
});

test('a step config overrides the global values for that step only', () => {
  const c = new SyntheticsConfiguration();
  const step = c.merged({ continueOnStepFailure: true, screenshotOnStepStart: false });
  assert.equal(step.continueOnStepFailure, true);
  assert.equal(step.screenshotOnStepStart, false);
  assert.equal(c.get('continueOnStepFailure'), false);
  step.restrictedHeaders.push('X');
  assert.deepEqual(c.get('restrictedHeaders'), []);
});
