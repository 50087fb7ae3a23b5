/**
 * Property/fuzz tests of the filter-pattern engine: parse, compile, match, extract and toClickHouse
 * either succeed or throw InvalidParameterException (a ServiceError) — never a TypeError, RangeError
 * or SyntaxError — and each input is handled quickly (test/fuzz/support.ts has the watchdog).
 * OSPREY_LONG=1 runs 10× the cases; OSPREY_FUZZ_SEED replays a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ServiceError } from '../../../protocol/errors.ts';
import { parseFilterPattern, compileFilterPattern, toClickHouse, metricValue, dimensionValue, type FilterPattern } from './index.ts';
import { anyString, expectOnly, fcParams, mutatedText, nested, tokenSoup } from '../../../../test/fuzz/support.ts';

const isPatternError = (e: unknown): boolean => e instanceof ServiceError && e.code === 'InvalidParameterException' && e.status === 400;
const never = (): boolean => false;

const TOKENS = [
  '{', '}', '[', ']', '(', ')', '$', '$.', '$.a', '$.b.c', '$.arr[0]', '$.arr[*]', '$["x y"]', '$.*', "$.['a.b']", "['", '.[', '$.a.*', '.', '&&', '||', '=', '!=', '<', '<=', '>',
  '>=', '"quoted"', '"', '\\"', '*', '-', '?', '...', ',', '%', '%[a-z]+%', '%\\d{2,4}%', 'ERROR', 'error', 'Exception', 'NULL', 'TRUE', 'FALSE',
  'IS', 'NOT', 'EXISTS', 'ip', 'user', 'status_code', 'bytes', '200', '4*', '-1.5e3', '0x1', '%ab|cd%', '(?i)', '[^x]', '\\w+', '.*',
  '{1,1000}', '{2000}', '+', '\\', '\\x3A', '\\x', '\\x7F', '\\x0', '[\\x41-\\x5A]',
];

const grammarish = fc.oneof(
  tokenSoup(TOKENS),
  tokenSoup(TOKENS).map((s) => `{ ${s} }`),
  tokenSoup(TOKENS).map((s) => `[${s}]`),
  tokenSoup(TOKENS).map((s) => `%${s}%`),
);

// Valid patterns from a small generator of the documented syntax (round-trip property).
const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/).filter((w) => !/^(AND|OR|NOT|IS|TRUE|FALSE|NULL|EXISTS)$/i.test(w));
const num = fc.integer({ min: -1000, max: 100000 }).map(String);
// Bracket-notation steps only: wildcards are limited to 3 per pattern, which compound expressions exceed.
const step = fc.oneof(word.map((w) => `.${w}`), fc.tuple(word, word).map(([a, b]) => `.['${a}.${b}']`), word.map((w) => `["${w} x"]`));
const selector = fc.tuple(word, fc.array(step, { maxLength: 2 })).map(([first, rest]) => `$.${first}${rest.join('')}`);
const jsonCond = fc.oneof(
  fc.tuple(selector, fc.constantFrom('=', '!='), word).map(([s, op, w]) => `${s} ${op} "${w}"`),
  fc.tuple(selector, fc.constantFrom('=', '!=', '<', '<=', '>', '>='), num).map(([s, op, n]) => `${s} ${op} ${n}`),
  selector.map((s) => `${s} IS NULL`),
  selector.map((s) => `${s} NOT EXISTS`),
  selector.map((s) => `${s} IS TRUE`),
);
const jsonExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonCond,
    fc.tuple(tie('e'), fc.constantFrom('&&', '||'), tie('e')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
  ),
})).e;
const validPattern = fc.oneof(
  fc.array(fc.oneof(word, word.map((w) => `-${w}`), word.map((w) => `"${w} ${w}"`)), { minLength: 1, maxLength: 4 }).map((t) => t.join(' ')),
  fc.array(word, { minLength: 1, maxLength: 3 }).map((t) => t.map((w) => `?${w}`).join(' ')),
  jsonExpr.map((e) => `{ ${e} }`),
  fc.array(word, { minLength: 1, maxLength: 5 }).map((fs) => `[${[...new Set(fs)].join(', ')}]`),
  fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), num).map(([fs, n]) => `[${[...new Set(fs)].join(', ')}, code=${n}, ...]`),
  fc.stringMatching(/^[a-z]{1,6}(\|[a-z]{1,6}){0,3}$/).map((r) => `%${r}%`),
);

const messages = fc.oneof(
  anyString(300),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer().map(String), fc.constant('"a b"'), fc.constant('[x y]')), { maxLength: 12 }).map((t) => t.join(' ')),
  fc.constantFrom('{"a":' .repeat(400) + '1' + '}'.repeat(400), '['.repeat(5000), '{"a": 1e400}', 'a'.repeat(20_000), '"'.repeat(1000), ' '.repeat(5000) + 'x'),
);

function exercise(text: string, msgs: string[]): void {
  const parsed = expectOnly(text, () => parseFilterPattern(text), isPatternError, 'parseFilterPattern');
  if (!parsed.ok) return;
  const p: FilterPattern = parsed.value;
  const c = expectOnly(text, () => compileFilterPattern(p), never, 'compileFilterPattern');
  if (!c.ok) return;
  expectOnly(text, () => toClickHouse(p), never, 'toClickHouse');
  for (const m of msgs) {
    const input = `${text}\n--- message ---\n${m}`;
    expectOnly(input, () => c.value.matches(m), never, 'matches');
    const ex = expectOnly(input, () => c.value.extract(m), never, 'extract');
    if (ex.ok && ex.value !== undefined) {
      const extraction = ex.value;
      for (const spec of ['$.a', '$1', '$ip', '1', '$.arr[0]', '$']) {
        expectOnly(input, () => metricValue(spec, m, extraction), (e) => e instanceof ServiceError, 'metricValue');
        expectOnly(input, () => dimensionValue(spec, m, extraction), (e) => e instanceof ServiceError, 'dimensionValue');
      }
    }
  }
}

test('random strings: parse/compile/match/extract/toClickHouse throw only InvalidParameterException and terminate', () => {
  fc.assert(fc.property(anyString(300), fc.array(messages, { maxLength: 3 }), (t, ms) => exercise(t, ms)), fcParams(1000));
});

test('grammar-aware token soup: only InvalidParameterException', () => {
  fc.assert(fc.property(grammarish, fc.array(messages, { maxLength: 3 }), (t, ms) => exercise(t, ms)), fcParams(2000));
});

test('mutated valid patterns: only InvalidParameterException', () => {
  fc.assert(fc.property(mutatedText(validPattern), fc.array(messages, { maxLength: 3 }), (t, ms) => exercise(t, ms)), fcParams(1500));
});

test('round trip: generated valid patterns parse, compile and match without error', () => {
  fc.assert(
    fc.property(validPattern, fc.array(messages, { maxLength: 2 }), (t, ms) => {
      const r = expectOnly(t, () => parseFilterPattern(t), never, 'parseFilterPattern(valid)');
      assert.ok(r.ok);
      exercise(t, ms);
    }),
    fcParams(500),
  );
});

test('deep nesting and long inputs are rejected with InvalidParameterException, not a stack overflow', () => {
  const inputs = [
    `{ ${nested('(', ')', '$.a = 1', 500)} }`,
    `{ ${nested('(', ')', '$.a = 1', 600).slice(0, 1024 - 4)} }`,
    `{ $.a${'[0]'.repeat(250)} = 1 }`,
    `{ ${Array.from({ length: 120 }, (_, i) => `$.a${i} = 1`).join(' && ')} }`.slice(0, 1024),
    `%${nested('(', ')', 'a', 500)}%`,
    `%${'(a*)*'.repeat(100)}b%`,
    `%(a|aa)*c%`,
    // `%a?…a?a…a%` (backtracking blow-up) was a bug, fixed (linear-time engine): see test/fuzz/regressions.test.ts.
    `[${'a,'.repeat(510)}b]`,
    `${'"'.repeat(1024)}`,
    'x'.repeat(1025),
    '{'.repeat(1024),
  ];
  for (const t of inputs) exercise(t, ['a'.repeat(5000) + 'c', JSON.stringify({ a: 1, a0: 1 }), 'a b c']);
});
