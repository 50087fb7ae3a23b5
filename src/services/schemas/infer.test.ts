import assert from 'node:assert/strict';
import { test } from 'node:test';
import { infer, inferAll, merge, MAX_DEPTH, type Shape } from './infer.ts';

test('primitives: integers and numbers are told apart, ISO timestamps get date-time, null is its own kind', () => {
  assert.deepEqual(infer(3), { t: 'integer' });
  assert.deepEqual(infer(3.5), { t: 'number' });
  assert.deepEqual(infer(-0.25e3), { t: 'integer' });
  assert.deepEqual(infer('x'), { t: 'string' });
  assert.deepEqual(infer('2026-03-27T12:00:00Z'), { t: 'string', format: 'date-time' });
  assert.deepEqual(infer('2026-03-27'), { t: 'string' });
  assert.deepEqual(infer(true), { t: 'boolean' });
  assert.deepEqual(infer(null), { t: 'null' });
});

test('nested objects: every key is a property and, seen once, required', () => {
  assert.deepEqual(infer({ b: { c: 1 }, a: 'x' }), {
    t: 'object', required: ['a', 'b'],
    props: { b: { t: 'object', props: { c: { t: 'integer' } }, required: ['c'] }, a: { t: 'string' } },
  });
});

test('arrays: items merge across elements; an empty array has no item shape', () => {
  assert.deepEqual(infer([]), { t: 'array' });
  assert.deepEqual(infer([1, 2.5]), { t: 'array', items: { t: 'number' } });
  assert.deepEqual(infer([{ a: 1 }, { b: 'x' }]), {
    t: 'array', items: { t: 'object', props: { a: { t: 'integer' }, b: { t: 'string' } }, required: [] },
  });
  assert.deepEqual(merge(infer([]), infer(['s'])), { t: 'array', items: { t: 'string' } });
});

test('merging: a field seen once stays, but only fields present every time stay required', () => {
  const m = merge(infer({ id: 1, name: 'a' }), infer({ id: 2, extra: true })) as Extract<Shape, { t: 'object' }>;
  assert.deepEqual(Object.keys(m.props).sort(), ['extra', 'id', 'name']);
  assert.deepEqual(m.required, ['id']);
});

test('merging: integer and number widen to number; a changed type takes the newer one', () => {
  assert.deepEqual(merge(infer(1), infer(1.5)), { t: 'number' });
  assert.deepEqual(merge(infer(1.5), infer(1)), { t: 'number' });
  assert.deepEqual(merge(infer('x'), infer(1)), { t: 'integer' });
  assert.deepEqual(merge(infer('2026-03-27T12:00:00Z'), infer('later')), { t: 'string' });
});

test('merging with null makes the other shape nullable, in either order', () => {
  assert.deepEqual(merge(infer(null), infer('x')), { t: 'string', nullable: true });
  assert.deepEqual(merge(infer({ a: 1 }), infer(null)), { t: 'object', props: { a: { t: 'integer' } }, required: ['a'], nullable: true });
  assert.deepEqual(merge(infer(null), infer(null)), { t: 'null' });
  assert.deepEqual(merge(merge(infer(null), infer(1)), infer(2)), { t: 'integer', nullable: true });
});

test('inferAll merges in order; nesting beyond the discoverer limit is cut off', () => {
  assert.equal(inferAll([]), undefined);
  assert.deepEqual(inferAll([{ a: 1 }, { a: 2 }]), { t: 'object', props: { a: { t: 'integer' } }, required: ['a'] });
  let deep: unknown = 1;
  for (let i = 0; i < MAX_DEPTH + 5; i++) deep = { d: deep };
  let s = infer(deep);
  let depth = 0;
  while (s.t === 'object' && s.props.d) {
    s = s.props.d;
    depth++;
  }
  assert.equal(depth, MAX_DEPTH);
});
