// Parser unit tests: AST shapes, precedence, error positions. No engine needed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Expr } from './ast.ts';
import { parseQuery } from './parse.ts';
import { planQuery } from './plan.ts';

/** A compact rendering of an expression: fully parenthesised, to read precedence off it. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'field': return e.name;
    case 'string': return JSON.stringify(e.value);
    case 'number': return e.text;
    case 'bool': return String(e.value);
    case 'regex': return `/${e.source}/`;
    case 'duration': return `${e.amount}${e.unit}`;
    case 'star': return '*';
    case 'call': return `${e.name}(${e.args.map(show).join(', ')})`;
    case 'unary': return `(${e.op} ${show(e.operand)})`;
    case 'arith': case 'compare': case 'logical': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'like': return `(${show(e.operand)} ${e.negated ? 'not ' : ''}like ${show(e.pattern)})`;
    case 'in': return `(${show(e.operand)} ${e.negated ? 'not ' : ''}in [${e.items.map(show).join(', ')}])`;
  }
}

function filterExpr(q: string): string {
  const c = parseQuery(`filter ${q}`).commands[0]!;
  assert.equal(c.kind, 'filter');
  return show((c as { cond: Expr }).cond);
}

function rejects(query: string, message: RegExp, offset?: number): void {
  assert.throws(() => planQuery(parseQuery(query)), (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, 'MalformedQueryException');
    assert.match(e.message, message);
    if (offset !== undefined) {
      const loc = (e.fields as { queryCompileError: { location: { startCharOffset: number } } }).queryCompileError.location;
      assert.equal(loc.startCharOffset, offset, e.message);
    }
    return true;
  });
}

describe('precedence', () => {
  test('or < and < not < comparison < additive < multiplicative < unary < ^', () => {
    assert.equal(filterExpr('a = 1 or b = 2 and c = 3'), '((a = 1) or ((b = 2) and (c = 3)))');
    assert.equal(filterExpr('not a = 1 and b'), '((not (a = 1)) and b)');
    assert.equal(filterExpr('a + b * c > d - e / f % g'), '((a + (b * c)) > (d - ((e / f) % g)))');
    assert.equal(filterExpr('-a ^ 2 ^ 3 = 1'), '((- (a ^ (2 ^ 3))) = 1)');
    assert.equal(filterExpr('a - -1 = 2'), '((a - -1) = 2)');
    assert.equal(filterExpr('(a or b) and c'), '((a or b) and c)');
    assert.equal(filterExpr('!ispresent(x) and y'), '((not ispresent(x)) and y)');
  });

  test('like, =~, in and their negations bind like comparisons', () => {
    assert.equal(filterExpr('a like /x\\/y/ and b not like "z"'), '((a like /x/y/) and (b not like "z"))');
    assert.equal(filterExpr('a =~ /^(?i)e$/'), '(a like /^(?i)e$/)');
    assert.equal(filterExpr('a not in [1, "b"] or c in ["d"]'), '((a not in [1, "b"]) or (c in ["d"]))');
  });

  test('keywords and function names are case-insensitive; field names are not', () => {
    const q = parseQuery('FIELDS Level | FILTER Level IN ["X"] AND isPresent(Level) | STATS COUNT(*) AS n BY BIN(5m)');
    assert.deepEqual(q.commands.map((c) => c.kind), ['fields', 'filter', 'stats']);
    const stats = q.commands[2] as { aggs: { name: string }[]; by: { name: string; expr: Expr }[] };
    assert.equal(stats.aggs[0]!.name, 'n');
    assert.equal(stats.by[0]!.name, 'BIN(5m)');
    assert.equal(show(stats.by[0]!.expr), 'bin(5m)');
  });
});

describe('tokens', () => {
  test('field names: dots, backquotes, @, list indexes', () => {
    assert.equal(filterExpr('`foo-bar` = userIdentity.arn'), '(foo-bar = userIdentity.arn)');
    assert.equal(filterExpr('requestParameters.items.0.instanceId = m.`a.b`'), '(requestParameters.items.0.instanceId = m.a.b)');
    assert.equal(filterExpr('j.users[1].action = "PutData"'), '(j.users.1.action = "PutData")');
    assert.equal(filterExpr('@@example.com = 1'), '(@@example.com = 1)');
  });

  test('strings, numbers and time periods', () => {
    assert.equal(filterExpr(`a = 'it\\'s' or b = "say \\"hi\\""`), `((a = "it's") or (b = "say \\"hi\\""))`);
    assert.equal(filterExpr('a > 1.5e3 and b < .5'), '((a > 1.5e3) and (b < .5))');
    const stats = parseQuery('stats count(*) by bin(2hrs), bin(30sec), bin(1mo)').commands[0] as { by: { expr: Expr }[] };
    assert.deepEqual(stats.by.map((p) => show(p.expr)), ['bin(2h)', 'bin(30s)', 'bin(1mo)']);
  });

  test('comments run from # to the end of the line', () => {
    const q = parseQuery('fields @timestamp # trailing\n# | filter x = 1\n| limit 5');
    assert.deepEqual(q.commands.map((c) => c.kind), ['fields', 'limit']);
  });

  test('unaliased columns keep the text as written', () => {
    const q = parseQuery('stats avg (f1), count(*) , sum(bytes)/1024 by f2');
    const stats = q.commands[0] as { aggs: { name: string }[] };
    assert.deepEqual(stats.aggs.map((p) => p.name), ['avg (f1)', 'count(*)', 'sum(bytes)/1024']);
  });
});

describe('commands', () => {
  test('parse: glob with as, regex with named and unnamed groups, the field defaults to @message', () => {
    const g = parseQuery('parse "[*] *" as level, msg').commands[0]!;
    assert.deepEqual(g.kind === 'parse' && g.mode === 'glob' && [g.source.name, g.pattern, g.names], ['@message', '[*] *', ['level', 'msg']]);
    const r = parseQuery('parse @logStream /(?<env>\\w+)-(\\d+)-(?<n>\\d+)/').commands[0]!;
    assert.deepEqual(r.kind === 'parse' && r.mode === 'regex' && [r.source.name, r.names], ['@logStream', ['env', null, 'n']]);
    const a = parseQuery('parse @message /(\\d+) (\\w+)/ as num, word').commands[0]!;
    assert.deepEqual(a.kind === 'parse' && a.names, ['num', 'word']);
  });

  test('sort keys default to ascending', () => {
    const c = parseQuery('sort a, b desc, c asc').commands[0]!;
    assert.deepEqual(c.kind === 'sort' && c.keys.map((k) => k.desc), [false, true, false]);
  });

  test('limit any N is a limit', () => {
    const c = parseQuery('limit any 3').commands[0]!;
    assert.deepEqual(c.kind === 'limit' && c.count, 3);
  });
});

describe('errors name the position', () => {
  test('unexpected symbols: line and position in the message, offsets in queryCompileError', () => {
    rejects('fields a,', /unexpected symbol found <EOF> \(expected an expression\) at line 1 and position 9/, 9);
    rejects('fields a\n| filter b = = 1', /unexpected symbol found = .* at line 2 and position 13/, 22);
    rejects('filter a = 1 b', /unexpected symbol found b .* at line 1 and position 13/, 13);
    rejects('filter a < b < c', /comparisons cannot be chained/, 13);
    rejects('fields "unterminated', /unterminated string at line 1 and position 7/, 7);
    rejects('fields `x', /unterminated backquoted field name/, 7);
    rejects('fields a ~ b', /unexpected symbol found ~/, 9);
    rejects('| fields a', /unexpected symbol found \|/, 0);
    rejects('fields a |', /unexpected symbol found <EOF>/, 10);
    rejects('', /the query is empty/, 0);
    rejects('# only a comment', /the query is empty/, 0);
  });

  test('commands and functions', () => {
    rejects('fields a | frobnicate b', /expected a command/, 11);
    rejects('head 5', /head command is not supported \(use limit\)/, 0);
    rejects('fields strlen(a, b)', /strlen\(\) takes 1 argument\(s\), got 2/, 7);
    rejects('fields count(*)', /only be used in stats/, 7);
    rejects('stats sum(*)', /\* is only valid in count/, 10);
    rejects('fields a / 5m', /time period such as 5m is only valid/, 11);
    rejects('stats count(*) by bin(5x)', /invalid time period 5x/, 22);
    rejects('stats count(*) by bin(1.5h)', /invalid time period 1.5h/, 22);
    rejects('filter a = /x/', /regular expression can only follow like/, 11);
    rejects('parse @message /(\\d+)/', /must name its capturing groups/, 15);
    rejects('parse @message /(?<a>x)(?<a>y)/', /duplicate capturing group name a/);
    rejects('filter a like /(x/', /unmatched '\('/);
    rejects('filter a like /\\1/', /backreferences are not supported/);
  });

  test('a query over the length limit', () => {
    rejects(`fields ${'a'.repeat(10_000)}`, /maximum is 10000/);
  });
});
