import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FilterExpressionError, matchesFilter, parseFilterExpression, type TraceFacts } from './index.ts';

const TRACE: TraceFacts = {
  root: { name: 'a', ok: true, root: true, responseTime: 1, http: { status: 200, url: 'http://x/y' } },
  duration: 2, partial: false, users: ['u'], availabilityZones: [], instanceIds: [], resourceArns: [],
  annotations: new Map([['k', ['v', 1, true]]]),
  services: [{ name: 'a', ok: true, root: true }, { name: 'b', fault: true }],
  edges: [{ source: { name: 'a' }, destination: { name: 'b' }, call: { fault: true } }],
};

const WORDS = ['ok', 'fault', 'error', 'throttle', 'partial', 'responsetime', 'duration', 'http.status', 'http.url', 'user',
  'annotation.k', 'service("a")', 'service()', 'edge("a", "b")', 'rootcause.fault.service', 'index', 'name', 'AND', 'OR', 'NOT',
  '!', '(', ')', '{', '}', '=', '!=', '<', '>=', 'CONTAINS', 'BEGINSWITH', '"v"', '1', '0.5', 'true', 'false', 'id(name: "a")', ','];

/** Parsing never throws anything but FilterExpressionError; what parses also evaluates. */
function checkTotal(expr: string): void {
  let node;
  try {
    node = parseFilterExpression(expr);
  } catch (e) {
    assert.ok(e instanceof FilterExpressionError, `${JSON.stringify(expr)} threw ${String(e)}`);
    return;
  }
  assert.equal(typeof matchesFilter(node, TRACE), 'boolean');
}

describe('X-Ray filter expressions: fuzzing', () => {
  it('any string parses or fails with FilterExpressionError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), checkTotal), { numRuns: 3000 });
  });
  it('token soups from the grammar parse or fail cleanly, and evaluate when they parse', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 14 }), (parts) => checkTotal(parts.join(' '))), { numRuns: 5000 });
  });
});
