import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ServiceError } from '../../../protocol/errors.ts';
import { parseFilterPattern } from './parse.ts';
import { aggregateMinutes, compileFilterPattern, dimensionValue, metricValue } from './match.ts';
import { extract, isInvalidPattern, rejects } from './test-support.ts';

interface VectorCase {
  id: string;
  section: string;
  pattern: string;
  message?: string;
  matches: boolean | null;
  expect_error?: unknown;
  extracted?: Record<string, string>;
  metric?: {
    metricValue?: string;
    defaultValue?: number;
    expected_value?: number | null;
    expected_increment?: number;
    expected_per_minute?: (number | null)[];
    dimensions?: Record<string, string>;
    expected_dimensions?: Record<string, string>;
  };
  minutes?: { minute: number; messages: string[] }[];
}

const vectors = JSON.parse(readFileSync(new URL('../../../../../shared/vectors/filter-patterns.json', import.meta.url), 'utf8')) as {
  cases: VectorCase[];
};

describe('shared vectors (filter-patterns.json)', () => {
  for (const c of vectors.cases) {
    test(`${c.id}: ${c.pattern}`, () => {
      if (c.expect_error) {
        assert.throws(() => parseFilterPattern(c.pattern), isInvalidPattern);
        return;
      }
      const compiled = compileFilterPattern(parseFilterPattern(c.pattern));
      if (c.minutes) {
        assert.ok(c.metric?.metricValue !== undefined && c.metric.expected_per_minute !== undefined);
        const spec = c.metric.defaultValue === undefined
          ? { metricValue: c.metric.metricValue }
          : { metricValue: c.metric.metricValue, defaultValue: c.metric.defaultValue };
        assert.deepEqual(aggregateMinutes(compiled, c.minutes, spec), c.metric.expected_per_minute);
        return;
      }
      const message = c.message!;
      assert.equal(compiled.matches(message), c.matches);
      const ex = compiled.extract(message);
      assert.equal(ex !== undefined, c.matches, 'extract() agrees with matches()');
      if (c.extracted) {
        assert.ok(ex?.kind === 'delimited');
        for (const [k, v] of Object.entries(c.extracted)) assert.equal(ex.fields[k], v, k);
      }
      if (c.metric) {
        const { metricValue: spec, expected_value, expected_increment, dimensions, expected_dimensions } = c.metric;
        const published = ex === undefined || spec === undefined ? undefined : metricValue(spec, message, ex);
        if (expected_value !== undefined) assert.equal(published ?? null, expected_value);
        if (expected_increment !== undefined) assert.equal(published, expected_increment);
        if (dimensions && expected_dimensions) {
          assert.ok(ex);
          const got = Object.fromEntries(Object.entries(dimensions).map(([k, v]) => [k, dimensionValue(v, message, ex)]));
          assert.deepEqual(got, expected_dimensions);
        }
      }
    });
  }
});

describe('limits and errors', () => {
  test('patterns longer than 1024 characters are rejected; 1024 is fine', () => {
    assert.doesNotThrow(() => parseFilterPattern('a'.repeat(1024)));
    rejects('a'.repeat(1025), /1025 characters long; the maximum is 1024/);
  });

  test('errors are InvalidParameterException ServiceErrors with a 1-based position', () => {
    try {
      parseFilterPattern('{ $.a = 1 && $.b ~ 2 }');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'InvalidParameterException');
      assert.equal(e.status, 400);
      assert.match(e.message, /^Invalid filter pattern: expected a comparison operator .* but found '~' \(at position 18\)$/);
    }
  });
});

describe('metric values and dimensions', () => {
  test('literal, $.field, $field; non-numeric gives no value', () => {
    const json = '{"latency": 50, "s": "12.5", "bad": "abc", "nested": {"v": [1, 2]}}';
    const ex = extract('{ $.latency = * }', json)!;
    assert.equal(metricValue('1', json, ex), 1);
    assert.equal(metricValue(' 2.5 ', json, ex), 2.5);
    assert.equal(metricValue('$.latency', json, ex), 50);
    assert.equal(metricValue('$.s', json, ex), 12.5);
    assert.equal(metricValue('$.bad', json, ex), undefined);
    assert.equal(metricValue('$.nested.v[1]', json, ex), 2);
    assert.equal(metricValue('$.nested', json, ex), undefined);
    assert.equal(metricValue('$.missing', json, ex), undefined);
    assert.equal(metricValue('$.[bad', json, ex), undefined);
    const line = '127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 404 287';
    const dex = extract('[ip, id, user, timestamp, request, status_code, size]', line)!;
    assert.equal(metricValue('$size', line, dex), 287);
    assert.equal(metricValue('$ip', line, dex), undefined);
    assert.equal(metricValue('$nope', line, dex), undefined);
  });

  test('dimension values come from the same fields', () => {
    const json = '{"eventType":"UpdateTrail","n":5,"o":{}}';
    const ex = extract('{ $.eventType = "*" }', json)!;
    assert.equal(dimensionValue('$.eventType', json, ex), 'UpdateTrail');
    assert.equal(dimensionValue('$.n', json, ex), '5');
    assert.equal(dimensionValue('$.o', json, ex), undefined);
    const line = '10.0.0.1 GET 200';
    const dex = extract('[ip, method, status]', line)!;
    assert.equal(dimensionValue('$ip', line, dex), '10.0.0.1');
    assert.equal(dimensionValue('$status', line, dex), '200');
  });

  test('aggregateMinutes: default value per non-matching event, nothing for empty minutes', () => {
    const c = compileFilterPattern(parseFilterPattern('ERROR'));
    const minutes = [{ messages: ['ERROR a', 'ok'] }, { messages: ['ok', 'ok'] }, { messages: [] }];
    assert.deepEqual(aggregateMinutes(c, minutes, { metricValue: '1', defaultValue: 0 }), [1, 0, null]);
    assert.deepEqual(aggregateMinutes(c, minutes, { metricValue: '1' }), [1, null, null]);
    assert.deepEqual(aggregateMinutes(c, minutes, { metricValue: '3', defaultValue: 1 }), [4, 2, null]);
  });
});
