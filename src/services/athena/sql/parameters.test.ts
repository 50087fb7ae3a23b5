/**
 * Parameterized queries without an engine: which values are literals, where placeholders are,
 * what binding produces, how PREPARE / EXECUTE / DEALLOCATE parse — and that no value, however
 * hostile, reaches the translator as anything but one literal.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AthenaSqlError, ospreyCatalog, translate } from './index.ts';
import { bindParameters, leadingKeyword, parameterLiteral, parseParameterStatement, placeholderOffsets } from './parameters.ts';

/** [value, the text substituted]. */
const LITERALS: Array<[string, string]> = [
  ['1', '1'], ['  42  ', '42'], ['-7', '(-7)'], ['+3', '+3'], ['1.5', '1.5'], ['.5', '.5'], ['1e3', '1e3'], ['2.5E-2', '2.5E-2'],
  ["'abc'", "'abc'"], ["''", "''"], ["'it''s'", "'it''s'"], ["'a?b'", "'a?b'"], ["'--not a comment'", "'--not a comment'"], ["'C:\\'", "'C:\\'"],
  ["'multi\nline'", "'multi\nline'"], ['TRUE', 'TRUE'], ['false', 'false'], ['NULL', 'NULL'],
  ["DATE '2024-01-31'", "DATE '2024-01-31'"], ["timestamp '2024-01-31 10:00:00.000'", "timestamp '2024-01-31 10:00:00.000'"],
  ["TIME '10:00'", "TIME '10:00'"], ["DECIMAL '1.25'", "DECIMAL '1.25'"], ["INTERVAL '1' DAY", "INTERVAL '1' DAY"],
  ["interval -'2' hour", "interval -'2' hour"], ["INTERVAL '1-2' YEAR TO MONTH", "INTERVAL '1-2' YEAR TO MONTH"],
];

/** Values that are not one literal: each must be refused, never substituted. */
const NOT_LITERALS = [
  '', '   ', 'abc', '"abc"', '1; DROP TABLE x', '1) UNION SELECT * FROM osprey.cloudtrail --', "'a' OR 1=1", "'a'' OR 1=1 --",
  "'unterminated", "'x''", "'a' 'b'", '1 -- comment', '1 /* c */', '(1)', '1+1', '- 1', '1abc', '0x10', "X'00'", 'now()',
  "DATE 2024", "DATE '2024' || 'x'", "INTERVAL '1' FORTNIGHT", "INTERVAL '1'", "CAST('1' AS bigint)", 'TRUE OR TRUE', '?', "'a'; SELECT 1",
  'SELECT 1', "TIMESTAMP '1' AT TIME ZONE 'UTC'", "1e", "1..2", "e'\\x'",
];

for (const [value, text] of LITERALS) {
  test(`literal ${JSON.stringify(value)} is substituted as ${JSON.stringify(text)}`, () => {
    assert.equal(parameterLiteral(value, 1), text);
  });
}

for (const value of NOT_LITERALS) {
  test(`${JSON.stringify(value)} is not a parameter: INVALID_PARAMETER_USAGE`, () => {
    assert.throws(() => parameterLiteral(value, 2), (e: unknown) => e instanceof AthenaSqlError && e.errorType === 'INVALID_PARAMETER_USAGE' && /^Parameter 2 /.test(e.message));
  });
}

test('placeholders outside strings, quoted identifiers and comments only', () => {
  const sql = `SELECT '?', "a?b", \`c?\` FROM t -- where ?\nWHERE x = ? /* ? */ AND y = 'it''s ?' AND z=?`;
  assert.deepEqual(placeholderOffsets(sql).map((i) => sql.slice(i - 2, i + 1)), ['= ?', 'z=?']);
  assert.deepEqual(placeholderOffsets("SELECT 'unterminated ?"), []);
  assert.deepEqual(placeholderOffsets('SELECT ? ??'), [7, 9, 10]);
});

test('binding substitutes positionally, each value a closed token', () => {
  assert.equal(bindParameters('SELECT * FROM t WHERE a = ? AND b > ?', ["'x'", '-1']), "SELECT * FROM t WHERE a =  'x'  AND b >  (-1) ");
  assert.equal(bindParameters('WHERE a=?-?', ['1', '-2']), 'WHERE a= 1 - (-2) ');
  assert.equal(bindParameters("WHERE a = 'x'?", ["'y'"]), "WHERE a = 'x' 'y' ");
  assert.equal(bindParameters('SELECT 1', []), 'SELECT 1');
});

test('a count mismatch fails with Trino\'s message', () => {
  const mismatch = (sql: string, values: string[], expected: number) => assert.throws(() => bindParameters(sql, values),
    (e: unknown) => e instanceof AthenaSqlError && e.errorType === 'INVALID_PARAMETER_USAGE' && e.message === `line 1:1: Incorrect number of parameters: expected ${expected} but found ${values.length}`);
  mismatch('SELECT 1 WHERE a = ? AND b = ?', ['1'], 2);
  mismatch('SELECT 1 WHERE a = ?', [], 1);
  mismatch("SELECT '?'", ['1'], 0);
});

test('PREPARE, EXECUTE and DEALLOCATE PREPARE parse; other statements are not theirs', () => {
  assert.deepEqual(parseParameterStatement('PREPARE my_select FROM SELECT * FROM logs WHERE a = ?'), { kind: 'prepare', name: 'my_select', statement: 'SELECT * FROM logs WHERE a = ?' });
  assert.deepEqual(parseParameterStatement('-- c\n  prepare "odd@name:1" from\n  WITH x AS (SELECT 1) SELECT * FROM x'), { kind: 'prepare', name: 'odd@name:1', statement: 'WITH x AS (SELECT 1) SELECT * FROM x' });
  assert.deepEqual(parseParameterStatement('EXECUTE my_select'), { kind: 'execute', name: 'my_select', using: [] });
  assert.deepEqual(parseParameterStatement('execute My_Select;'), { kind: 'execute', name: 'My_Select', using: [] });
  assert.deepEqual(parseParameterStatement("EXECUTE st USING 346078, 'a,b', DATE '2024-01-01' , -1.5, NULL, 'it''s';"),
    { kind: 'execute', name: 'st', using: ['346078', "'a,b'", "DATE '2024-01-01'", '-1.5', 'NULL', "'it''s'"] });
  assert.deepEqual(parseParameterStatement('DEALLOCATE PREPARE my_select'), { kind: 'deallocate', name: 'my_select' });
  assert.equal(parseParameterStatement('SELECT 1'), undefined);
  assert.equal(parseParameterStatement('/* EXECUTE x */ SELECT 1'), undefined);
  assert.equal(leadingKeyword('  -- x\n /* y */ Execute s'), 'EXECUTE');
});

const statementError = (sql: string, type: string, message: RegExp) => () =>
  assert.throws(() => parseParameterStatement(sql), (e: unknown) => e instanceof AthenaSqlError && e.errorType === type && message.test(e.message));

test('EXECUTE … USING takes literals only', () => {
  statementError('EXECUTE st USING 1; DROP TABLE x', 'SYNTAX_ERROR', /mismatched input 'DROP'/)();
  statementError('EXECUTE st USING 1 + 1', 'INVALID_PARAMETER_USAGE', /takes literal values .* found '\+'/)();
  statementError('EXECUTE st USING (SELECT 1)', 'INVALID_PARAMETER_USAGE', /takes literal values/)();
  statementError("EXECUTE st USING 'a' 'b'", 'INVALID_PARAMETER_USAGE', /found ''b''/)();
  statementError('EXECUTE st USING', 'INVALID_PARAMETER_USAGE', /found '<EOF>'/)();
  statementError('EXECUTE st USING 1,', 'INVALID_PARAMETER_USAGE', /takes literal values/)();
  statementError('EXECUTE st WITH 1', 'SYNTAX_ERROR', /line 1:12: mismatched input 'WITH'. Expecting: 'USING', <EOF>/)();
});

test('statement names follow AWS\'s pattern; PREPARE needs FROM and a statement that is not PREPARE/EXECUTE/DEALLOCATE', () => {
  statementError('EXECUTE x', 'SYNTAX_ERROR', /Statement name 'x' must match/)();
  statementError('EXECUTE', 'SYNTAX_ERROR', /mismatched input '<EOF>'. Expecting: <identifier>/)();
  statementError('EXECUTE "unclosed', 'SYNTAX_ERROR', /Expecting: <identifier>/)();
  statementError(`PREPARE ${'a'.repeat(258)} FROM SELECT 1`, 'SYNTAX_ERROR', /must match/)();
  statementError('PREPARE abc SELECT 1', 'SYNTAX_ERROR', /mismatched input 'SELECT'. Expecting: 'FROM'/)();
  statementError('PREPARE abc FROM   ', 'SYNTAX_ERROR', /<EOF>/)();
  statementError('PREPARE abc FROM EXECUTE other', 'NOT_SUPPORTED', /Invalid statement type for prepared statement: EXECUTE/)();
  statementError('DEALLOCATE abc', 'SYNTAX_ERROR', /Expecting: 'PREPARE'/)();
  statementError('DEALLOCATE PREPARE abc extra', 'SYNTAX_ERROR', /mismatched input 'extra'/)();
});

/** The values a hostile caller might send, bound into a real statement and translated. */
const HOSTILE = [
  "'x'' OR 1=1 --'", "'a'') OR (1=1'", "'\\'' OR 1=1 --'", "'*/ OR 1=1 /*'", "'? OR 1=1'", "'; DROP TABLE log_events; --'",
];

/** ClickHouse SQL with its string literals (backslash escapes) blanked: the statement's structure. */
const structure = (sql: string) => sql.replace(/'(?:[^'\\]|\\.)*'/g, "'…'");
const template = 'SELECT count(*) FROM osprey.logs WHERE log_group = ? AND log_stream = ?';
const compiled = (values: string[]) => structure(translate(bindParameters(template, values), ospreyCatalog({ account: '111111111111', region: 'us-east-1' })).sql);

for (const value of HOSTILE) {
  test(`the string ${JSON.stringify(value)} stays one string value through translation`, () => {
    assert.equal(compiled([value, "'s'"]), compiled(["'benign'", "'s'"]));
  });
}
