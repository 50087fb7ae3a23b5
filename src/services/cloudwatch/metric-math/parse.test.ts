import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from './errors.ts';
import { parseExpression, referencedIds, usesMetricsFunction } from './parse.ts';
import type { Expr } from './ast.ts';

/** A compact rendering of the tree, to assert structure and precedence. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'string':
      return JSON.stringify(e.value);
    case 'keyword':
      return e.name;
    case 'id':
      return e.name;
    case 'array':
      return `[${e.items.map(show).join(', ')}]`;
    case 'negate':
      return `(-${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')})`;
    case 'search':
      return `SEARCH(${JSON.stringify(e.query.text)}, ${e.statistic}${e.period === undefined ? '' : `, ${e.period}`})`;
    case 'unsupported':
      return `${e.name}(…)`;
  }
}

const parsed = (text: string): string => show(parseExpression(text));
const rejects = (text: string, message?: RegExp): void => {
  assert.throws(() => parseExpression(text), (e: unknown) => e instanceof MetricMathError && (message === undefined || message.test(e.message)));
};

describe('parseExpression: operators', () => {
  test('* and / bind tighter than + and -, left to right', () => {
    assert.equal(parsed('m1 + m2 * 2 - m3 / 4'), '((m1 + (m2 * 2)) - (m3 / 4))');
    assert.equal(parsed('m1 - m2 - m3'), '((m1 - m2) - m3)');
  });

  test('^ binds tighter than unary minus and is right-associative', () => {
    assert.equal(parsed('-m1^2'), '(-(m1 ^ 2))');
    assert.equal(parsed('2^3^2'), '(2 ^ (3 ^ 2))');
    assert.equal(parsed('2^-1'), '(2 ^ (-1))');
  });

  test('unary minus applies to scalars, series and arrays (doc: -5*m1, -m1, SUM(-[m1, m2]))', () => {
    assert.equal(parsed('-5*m1'), '((-5) * m1)');
    assert.equal(parsed('SUM(-[m1, m2])'), 'SUM((-[m1, m2]))');
  });

  test('comparisons bind looser than arithmetic; AND looser than comparisons; OR loosest', () => {
    assert.equal(parsed('metric1 > 15 AND metric2 > 15'), '((metric1 > 15) AND (metric2 > 15))');
    assert.equal(parsed('a OR b AND c'), '(a OR (b AND c))');
    assert.equal(parsed('a || b && c'), '(a OR (b AND c))');
    assert.equal(parsed('m1 + 1 >= m2 * 2'), '((m1 + 1) >= (m2 * 2))');
    for (const op of ['==', '!=', '<', '>', '<=', '>=']) assert.equal(parsed(`m1 ${op} 1`), `(m1 ${op} 1)`);
  });

  test('parentheses group', () => {
    assert.equal(parsed('(m1 + m2) * 2'), '((m1 + m2) * 2)');
    assert.equal(parsed('IF((DAY(m1)<6 AND (HOUR(m1)>=9 AND HOUR(m1)<17)),m1)'), 'IF(((DAY(m1) < 6) AND ((HOUR(m1) >= 9) AND (HOUR(m1) < 17))), m1)');
  });

  test('numbers: integers, decimals, leading dot, exponents', () => {
    assert.equal(parsed('m1 + 1e-36'), '(m1 + 1e-36)');
    assert.equal(parsed('.5 * 2.25'), '(0.5 * 2.25)');
  });
});

describe('parseExpression: functions, ids and keywords', () => {
  test('function calls with keyword arguments', () => {
    assert.equal(parsed('SORT(METRICS(), AVG, DESC, 10)'), 'SORT(METRICS(), AVG, DESC, 10)');
    assert.equal(parsed('FILL(m1, REPEAT)'), 'FILL(m1, REPEAT)');
    assert.equal(parsed('SLICE(SORT(METRICS(), SUM, DESC), 0, 10)'), 'SLICE(SORT(METRICS(), SUM, DESC), 0, 10)');
  });

  test('METRICS takes a string in double, single or the doc\'s typographic quotes', () => {
    assert.equal(parsed('SUM(METRICS("errors"))'), 'SUM(METRICS("errors"))');
    assert.equal(parsed("METRICS('4xx')"), 'METRICS("4xx")');
    assert.equal(parsed('SUM([METRICS(“4xx”), METRICS(“5xx”)])'), 'SUM([METRICS("4xx"), METRICS("5xx")])');
  });

  test('ids start with a lowercase letter and may hold letters, digits and underscores', () => {
    assert.equal(parsed('errors_4xx / requestCount2'), '(errors_4xx / requestCount2)');
    rejects('Errors + 1', /Unrecognized identifier 'Errors'.*lowercase/);
  });

  test('functions must be uppercase', () => {
    rejects('avg(m1)', /Unrecognized function 'avg'.*uppercase letters: AVG/);
    rejects('FOO(m1)', /Unrecognized function 'FOO'.*Supported functions: ABS/);
  });

  test('argument counts are checked against the documented signatures', () => {
    rejects('FILL(m1)', /FILL takes 2 arguments but was given 1/);
    rejects('SORT(METRICS(), AVG)', /SORT takes 3 to 4 arguments/);
    rejects('AVG(m1, m2)', /AVG takes 1 argument but was given 2/);
    rejects('IF(m1)', /IF takes 2 to 3 arguments/);
    assert.equal(parsed('METRICS()'), 'METRICS()');
  });

  test('unsupported documented functions parse and are marked', () => {
    assert.equal(parsed('LAMBDA("fn", "x")'), 'LAMBDA(…)');
  });
});

describe('parseExpression: SEARCH', () => {
  test('query, statistic and period', () => {
    const e = parseExpression(`SEARCH(' {AWS/EC2,InstanceId} MetricName="CPUUtilization" ', 'Average', 300)`);
    assert.equal(e.kind, 'search');
    if (e.kind !== 'search') return;
    assert.deepEqual(e.query.schema, { namespace: 'AWS/EC2', dimensionNames: ['InstanceId'] });
    assert.equal(e.statistic, 'Average');
    assert.equal(e.period, 300);
  });

  test('the period may be left out (current doc form)', () => {
    assert.equal(parsed(`SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average')`), 'SEARCH("{AWS/EC2,InstanceId} MetricName=\\"CPUUtilization\\"", Average)');
  });

  test('escapes inside an exact search term reach the search parser', () => {
    const e = parseExpression(String.raw`SEARCH(' "Europe\\France Traffic\(Network\)" ', 'Sum', 60)`);
    assert.ok(e.kind === 'search' && e.query.term?.kind === 'match');
    if (e.kind === 'search' && e.query.term?.kind === 'match') assert.equal(e.query.term.value, String.raw`Europe\France Traffic(Network)`);
  });

  test('bad arguments are rejected', () => {
    rejects(`SEARCH(m1, 'Average', 300)`, /first SEARCH argument/);
    rejects(`SEARCH('{AWS/EC2}', 5, 300)`, /second SEARCH argument/);
    rejects(`SEARCH('{AWS/EC2}', Average, 300)`, /Unrecognized identifier 'Average'/);
    rejects(`SEARCH('{AWS/EC2}', 'Average', 0)`, /third SEARCH argument/);
    rejects(`SEARCH(' ', 'Average', 300)`, /metric schema .* search term, or both/);
  });
});

describe('parseExpression: syntax errors', () => {
  test('say what was expected and where', () => {
    rejects('', /empty/);
    rejects('m1 +', /expected a value but found the end of the expression/);
    rejects('(m1 + m2', /expected '\)' but found the end/);
    rejects('m1 m2', /expected an operator or the end of the expression but found 'm2' at position 4/);
    rejects('m1 % 2', /Unexpected character '%' at position 4/);
    rejects("METRICS('x", /Unterminated string/);
    rejects('[]', /expected a value/);
    rejects('m1 = 2', /Unexpected character '='/);
  });
});

describe('referencedIds / usesMetricsFunction', () => {
  test('lists each id once, in order, ignoring strings, keywords and SEARCH queries', () => {
    assert.deepEqual(referencedIds(parseExpression('IF(m1 > m2, m1, e1) + SUM([m3, m1])')), ['m1', 'm2', 'e1', 'm3']);
    assert.deepEqual(referencedIds(parseExpression(`SUM(METRICS("errors")) + SUM(SEARCH('{AWS/Lambda} errors', 'Sum', 60))`)), []);
    assert.deepEqual(referencedIds(parseExpression('m1/PERIOD(m1)')), ['m1']);
  });

  test('reports METRICS() anywhere in the tree', () => {
    assert.equal(usesMetricsFunction(parseExpression('m1/METRIC_COUNT(METRICS())')), true);
    assert.equal(usesMetricsFunction(parseExpression('m1 + m2')), false);
  });
});
