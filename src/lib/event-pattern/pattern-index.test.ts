import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileEventPattern, PatternIndex } from './index.ts';

test('candidates are only the rules whose required source/detail-type the event carries, plus unindexed ones', () => {
  const index = new PatternIndex<string>();
  for (let i = 0; i < 1000; i++) index.add(`r${i}`, compileEventPattern(JSON.stringify({ source: [`app.${i}`] })), `r${i}`);
  index.add('dt', compileEventPattern('{"detail-type": ["Ping"]}'), 'dt');
  index.add('any', compileEventPattern('{"detail": {"x": [1]}}'), 'any');
  assert.deepEqual([...index.candidates({ source: 'app.7', 'detail-type': 'Pong' })], ['r7', 'any']);
  assert.deepEqual([...index.candidates({ source: ['app.1', 'app.2'], 'detail-type': 'Ping' })], ['r1', 'r2', 'dt', 'any']);
  assert.deepEqual(index.match({ source: 'app.7', detail: { x: 1 } }), ['r7', 'any']);
  assert.deepEqual(index.match({ source: 'app.7' }, '{"source": "app.7", "detail": {"x": 1.0}}'), ['r7', 'any']);
});

test('add replaces a rule with the same id; remove forgets it', () => {
  const index = new PatternIndex<number>();
  index.add('a', compileEventPattern('{"source": ["s"]}'), 1);
  index.add('a', compileEventPattern('{"source": ["t"]}'), 2);
  assert.deepEqual(index.match({ source: 's' }), []);
  assert.deepEqual(index.match({ source: 't' }), [2]);
  index.remove('a');
  index.remove('missing');
  assert.deepEqual(index.match({ source: 't' }), []);
});
