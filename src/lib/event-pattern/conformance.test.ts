/**
 * The shared EventBridge vectors (../shared/vectors/eventbridge-patterns.json): every case must give
 * AWS's answer, and a refused pattern AWS's message. Raw texts are fed when present because duplicate
 * keys and number spellings (300 vs 300.0) are part of what is tested.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileEventPattern, InvalidEventPattern } from './index.ts';

interface ExpectError { type: string; message?: string; message_prefix?: string; message_contains?: string; message_contains_ruler?: string }
interface Case { id: string; pattern?: unknown; pattern_raw?: string; event?: unknown; event_raw?: string; matches: boolean | null; expect_error?: ExpectError }

const file = new URL('../../../../shared/vectors/eventbridge-patterns.json', import.meta.url);
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] };

function compileError(text: string): InvalidEventPattern {
  try {
    compileEventPattern(text);
  } catch (e) {
    if (e instanceof InvalidEventPattern) return e;
    throw e;
  }
  return assert.fail('the pattern was accepted');
}

for (const c of cases) {
  const patternText = c.pattern_raw ?? JSON.stringify(c.pattern);
  test(`${c.id}: ${patternText.slice(0, 120)}`, () => {
    if (c.matches === null) {
      const e = compileError(patternText);
      const x = c.expect_error;
      if (x?.message !== undefined) assert.equal(e.message, x.message);
      if (x?.message_prefix !== undefined) assert.ok(e.message.startsWith(x.message_prefix), e.message);
      if (x?.message_contains !== undefined) assert.ok(e.message.includes(x.message_contains), e.message);
      if (x?.message_contains_ruler !== undefined) assert.ok(e.message.includes(x.message_contains_ruler), e.message);
      return;
    }
    const p = compileEventPattern(patternText);
    const eventText = c.event_raw ?? JSON.stringify(c.event);
    assert.equal(p.matchesJson(eventText), c.matches, 'matchesJson');
    // The parsed form agrees wherever number spelling cannot matter.
    if (c.event_raw === undefined) assert.equal(p.matches(c.event), c.matches, 'matches');
  });
}

test('the vectors file is the one we expect', () => {
  assert.ok(cases.length >= 266);
});
