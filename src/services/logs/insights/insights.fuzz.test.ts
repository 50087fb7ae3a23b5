/**
 * Property/fuzz tests of the Logs Insights query language: parseQuery and compileInsightsQuery
 * either succeed or throw a ServiceError (MalformedQueryException / InvalidParameterException) —
 * never a TypeError, RangeError (stack overflow) or SyntaxError — and terminate quickly.
 * OSPREY_LONG=1 runs 10× the cases; OSPREY_FUZZ_SEED replays a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ServiceError } from '../../../protocol/errors.ts';
import { parseQuery, compileInsightsQuery, FUNCTIONS } from './index.ts';
import { anyString, expectOnly, fcParams, mutatedText, nested, tokenSoup } from '../../../../test/fuzz/support.ts';

const isQueryError = (e: unknown): boolean => e instanceof ServiceError && e.status === 400 && /^(MalformedQueryException|InvalidParameterException)$/.test(e.code);

const OPTS = { account: '000000000000', region: 'us-east-1', logGroups: ['g1', 'g2'], startMs: 1_700_000_000_000, endMs: 1_700_003_600_000, nowMs: 1_700_003_600_000 };

const TOKENS = [
  'fields', 'display', 'filter', 'stats', 'sort', 'limit', 'dedup', 'parse', 'by', 'as', 'asc', 'desc', 'and', 'or', 'not', 'in', 'like',
  '|', '@timestamp', '@message', '@logStream', '@log', '@ptr', 'field', 'a.b', 'a.0', '`odd name`', '`', '/regex/', '/(?<name>\\S+)/', '/x/i',
  '"str"', "'str'", '"*glob*"', '5m', '1h', '30s', '1d', '2w', '1mo', '10', '-1', '1.5', '1e3', '(', ')', '[', ']', ',', '=', '!=', '<', '<=',
  '>', '>=', '+', '-', '*', '/', '%', '^', 'true', 'false', 'null', '#comment\n', 'count(*)', 'bin(5m)',
  ...[...FUNCTIONS.keys()].flatMap((f) => [f, `${f}(`]),
];

const field = fc.constantFrom('@message', '@timestamp', 'a', 'b.c', 'status', '`x y`');
const fn = fc.constantFrom('count(*)', 'avg(x)', 'max(a)', 'sum(b)', 'pct(a, 90)', 'count_distinct(b)');
const validQuery = fc
  .array(
    fc.oneof(
      fc.array(field, { minLength: 1, maxLength: 3 }).map((fs) => `fields ${fs.join(', ')}`),
      fc.tuple(field, fc.constantFrom('=', '!=', '<', '>'), fc.integer({ min: -5, max: 500 })).map(([f, op, n]) => `filter ${f} ${op} ${n}`),
      fc.tuple(field, fc.stringMatching(/^[a-z]{1,6}$/)).map(([f, s]) => `filter ${f} like /${s}/`),
      fc.tuple(fn, fc.constantFrom('bin(5m)', 'a', '@logStream')).map(([f, by]) => `stats ${f} by ${by}`),
      fc.tuple(field, fc.constantFrom('asc', 'desc')).map(([f, d]) => `sort ${f} ${d}`),
      fc.integer({ min: 1, max: 10_000 }).map((n) => `limit ${n}`),
      field.map((f) => `parse ${f} "* - *" as p1, p2`),
      field.map((f) => `dedup ${f}`),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((cs) => cs.join(' | '));

function exercise(q: string): void {
  const parsed = expectOnly(q, () => parseQuery(q), isQueryError, 'parseQuery');
  const compiled = expectOnly(q, () => compileInsightsQuery(q, OPTS), isQueryError, 'compileInsightsQuery');
  if (parsed.ok !== compiled.ok && compiled.ok) assert.fail(`compileInsightsQuery accepted what parseQuery rejected: ${JSON.stringify(q)}`);
  if (compiled.ok) {
    assert.equal(typeof compiled.value.sql, 'string');
  }
}

test('random strings: only MalformedQueryException/InvalidParameterException', () => {
  fc.assert(fc.property(anyString(300), exercise), fcParams(1000));
});

test('grammar-aware token soup: only MalformedQueryException/InvalidParameterException', () => {
  fc.assert(fc.property(tokenSoup(TOKENS, 30), exercise), fcParams(3000));
});

test('mutated valid queries: only MalformedQueryException/InvalidParameterException', () => {
  fc.assert(fc.property(mutatedText(validQuery), exercise), fcParams(2000));
});

test('round trip: generated valid queries compile', () => {
  fc.assert(
    fc.property(validQuery, (q) => {
      const r = expectOnly(q, () => compileInsightsQuery(q, OPTS), isQueryError, 'compileInsightsQuery(valid)');
      if (!r.ok) {
        // Some combinations are semantically invalid (e.g. sort by a field stats removed); never a crash.
        assert.ok(isQueryError(r.error));
      }
    }),
    fcParams(500),
  );
});

test('deep nesting, long inputs and many commands: a ServiceError, not a stack overflow', () => {
  const inputs = [
    `filter ${nested('(', ')', 'a = 1', 5000)}`,
    `filter ${nested('not ', '', 'a = 1', 3000)}`,
    `filter ${'-'.repeat(5000)}1 = 1`,
    `fields ${nested('abs(', ')', 'a', 3000)}`,
    `fields ${Array.from({ length: 3000 }, () => 'a').join(' + ')}`,
    `filter a in [${Array.from({ length: 3000 }, (_, i) => i).join(',')}]`,
    Array.from({ length: 2000 }, () => 'fields a').join(' | '),
    `filter a like /${'(a*)*'.repeat(100)}b/`,
    `parse @message /${'(?<n>x)'.repeat(500)}/`,
    'fields a | '.repeat(1000),
    'x'.repeat(10_001),
    `fields ${'a.'.repeat(3000)}b`,
    `fields ${'`'.repeat(5001)}`,
    `fields ${'"'.repeat(5001)}`,
  ];
  for (const q of inputs) exercise(q);
});
