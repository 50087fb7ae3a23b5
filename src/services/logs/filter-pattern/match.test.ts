import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ServiceError } from '../../../protocol/errors.ts';
import { parseFilterPattern } from './parse.ts';
import { aggregateMinutes, compileFilterPattern, dimensionValue, metricValue, type Extraction } from './match.ts';

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

const isInvalidPattern = (e: unknown): boolean =>
  e instanceof ServiceError && e.code === 'InvalidParameterException' && e.message.startsWith('Invalid filter pattern: ');

const matches = (pattern: string, message: string): boolean => compileFilterPattern(parseFilterPattern(pattern)).matches(message);
const extract = (pattern: string, message: string): Extraction | undefined =>
  compileFilterPattern(parseFilterPattern(pattern)).extract(message);
const rejects = (pattern: string, reason?: RegExp): void => {
  assert.throws(() => parseFilterPattern(pattern), (e: unknown) => isInvalidPattern(e) && (reason === undefined || reason.test((e as Error).message)));
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

describe('unstructured terms', () => {
  test('a term matches inside a longer word, as in the doc ("ERROR" matches "ERRORCODE")', () => {
    assert.equal(matches('ERROR', 'Exiting with ERRORCODE: -1'), true);
    assert.equal(matches('ERROR -Exiting', 'Exiting with ERRORCODE: -1'), false);
    assert.equal(matches('"ERROR" - "Exiting"', 'Exiting with ERRORCODE: -1'), false);
    assert.equal(matches('"ERROR" - "Exiting"', '[ERROR] A fatal exception has occurred'), true);
  });

  test('terms are case-sensitive and order-independent', () => {
    assert.equal(matches('Failed to process the request', '[WARN] Failed to process the request'), true);
    assert.equal(matches('request Failed', '[WARN] Failed to process the request'), true);
    assert.equal(matches('failed', '[WARN] Failed to process the request'), false);
  });

  test('?terms are an OR group and are ignored next to other terms', () => {
    assert.equal(matches('?ERROR ?WARN', 'WARN message'), true);
    assert.equal(matches('?ERROR ?WARN', 'INFO message'), false);
    assert.equal(matches('?ERROR ?WARN -message', 'WARN message'), false);
    assert.equal(matches('?ERROR ?WARN -message', 'INFO only'), true, 'the ? terms are ignored, leaving -message');
  });

  test('quoted phrases: exact, case-sensitive, with escapes and unicode', () => {
    assert.equal(matches('"INTERNAL SERVER ERROR"', 'x INTERNAL SERVER ERROR y'), true);
    assert.equal(matches('"user@example.com"', 'login user@example.com ok'), true);
    assert.equal(matches('"say \\"hi\\""', 'they say "hi" loudly'), true);
    assert.equal(matches('"C:\\\\temp"', 'path C:\\temp'), true);
    assert.equal(matches('"C:\\temp"', 'path C:\\temp'), true, 'a backslash before another character is literal');
    assert.equal(matches('"ünïcødé ✓"', 'text ünïcødé ✓ end'), true);
    assert.equal(matches('"😀"', 'smile 😀'), true);
    assert.equal(matches('-"😀"', 'smile 😀'), false);
    assert.equal(matches('"ERROR 401" ?x', 'ERROR 401'), true);
  });

  test('blank patterns and blank phrases match everything', () => {
    for (const p of ['', ' ', '  \t ', '""', '" "', '"   "']) {
      assert.equal(parseFilterPattern(p).kind, 'all', JSON.stringify(p));
      assert.equal(matches(p, 'no-space-here'), true);
      assert.equal(matches(p, ''), true);
    }
    assert.equal(matches('-" "', 'anything'), false);
  });

  test('unquoted terms with characters other than letters, digits and _ are rejected with their position', () => {
    assert.throws(() => parseFilterPattern('ERROR user@example.com'), (e: unknown) =>
      isInvalidPattern(e) && /Invalid character\(s\) in term 'user@example.com'/.test((e as Error).message) && /position 11\)/.test((e as Error).message));
    rejects('café');
    rejects('ERROR:');
    rejects('/path');
    rejects('a.b');
    rejects('?-x');
    rejects('ERROR %foo%', /in term '%foo%'/);
  });

  test('broken quoting and dangling operators are rejected', () => {
    rejects('"unterminated', /unterminated quoted string.*position 1\)/);
    rejects('"a"b', /followed by a space/);
    rejects('ERROR -', /'-' must be followed by a term/);
    rejects('?', /'\?' must be followed by a term/);
  });
});

describe('regex patterns', () => {
  test('the doc operators behave as documented', () => {
    assert.equal(matches('%^[hc]at%', 'cat'), true);
    assert.equal(matches('%[hc]at$%', 'the cat'), true);
    assert.equal(matches('%[hc]at$%', 'cats'), false);
    assert.equal(matches('%abcc|ab[^c]$%', 'aba'), true);
    assert.equal(matches('%abcc|ab[^c]$%', 'aac'), false);
    assert.equal(matches('%a{3}%', 'aa'), false);
    assert.equal(matches('%a{2,}%', 'xaay'), true);
    assert.equal(matches('%^a{,2}$%', 'aa'), true);
    assert.equal(matches('%^a{,2}$%', 'aaa'), false);
    assert.equal(matches('%ab*?c%', 'abbc'), true);
    assert.equal(matches('%\\w+@\\w+%', 'mail bob@example'), true);
    assert.equal(matches('%time:\\s\\d%', 'time: 5'), true);
    assert.equal(matches('%[\\d_]+x%', '12_x'), true);
    assert.equal(matches('%a\\.b\\-c\\/d%', 'a.b-c/d'), true);
    assert.equal(matches('%x\\|y%', 'x|y'), true);
    assert.equal(matches('%\\$5%', 'costs $5'), true);
  });

  test('. matches one character (a code point) but not a line break; \\s is ASCII whitespace', () => {
    assert.equal(matches('%^a.b$%', 'a😀b'), true);
    assert.equal(matches('%^a.b$%', 'aéb'), true);
    assert.equal(matches('%a.b%', 'a\nb'), false);
    assert.equal(matches('%a\\sb%', 'a\nb'), true);
    assert.equal(matches('%a\\sb%', 'a\u00a0b'), false);
    assert.equal(matches('%^b%', 'a\nb'), false, '^ is the start of the message, not of a line');
  });

  test('negated sets and \\D\\W\\S take a surrogate pair as one character', () => {
    assert.equal(matches('%^a[^x]b$%', 'a😀b'), true);
    assert.equal(matches('%^a[^x][^x]b$%', 'a😀b'), false);
    assert.equal(matches('%^a\\Wb$%', 'a😀b'), true);
    assert.equal(matches('%^\\S{3}$%', 'a😀b'), true);
  });

  test('a regex that backtracks catastrophically still finishes quickly (linear-time fallback)', () => {
    const t0 = Date.now();
    assert.equal(matches(`%${'a*'.repeat(12)}b%`, 'a'.repeat(20_000)), false);
    assert.equal(matches(`%${'.*'.repeat(8)}!?x%`.replace('!?', ''), 'y'.repeat(20_000)), false);
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  });

  test('unsupported regex constructs are rejected, not matched loosely', () => {
    rejects('%something!%', /'!' is not supported.*position 11\)/);
    rejects('%(ab)+%', /parentheses/);
    rejects('%a\\(b%', /unsupported escape/);
    rejects('%ERROR (?i)%', /parentheses/);
    rejects('%é%', /multi-byte/);
    rejects('%%', /empty regular expression/);
    rejects('%a|%', /cannot end with '\|'/);
    rejects('%a||b%', /empty alternative/);
    rejects('%*a%', /nothing to repeat/);
    rejects('%a**%', /cannot follow another repetition/);
    rejects('%^*%', /cannot follow an anchor/);
    rejects('%a{2%', /unterminated repetition/);
    rejects('%a{1001}%', /limited to 1000/);
    rejects('%a{5,2}%', /minimum is larger/);
    rejects('%[]a]%', /empty character class/);
    rejects('%[a%', /unterminated character class/);
    rejects('%[z-a]%', /out of order/);
    rejects('%\\bword%', /unsupported escape '\\b'/);
    rejects('%[\\S]%', /not supported inside a character class/);
    rejects('%a}%', /unmatched/);
    rejects('%abc', /must end with '%'/);
    rejects('%a%b%', /'%' is not supported/);
  });
});

describe('JSON patterns', () => {
  const trail = JSON.stringify({
    eventType: 'UpdateTrail', sourceIPAddress: '111.111.111.111', arrayKey: ['value', 'another value'],
    objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }], SomeObject: null, ThisFlag: true, count: '400',
    coordinates: [[0, 1, 2], [4, 5, 6]], 'cluster.name': 'c', 'dash-key': 'd', constructor: 'x',
  });

  test('doc examples', () => {
    assert.equal(matches('{ $.eventType = "UpdateTrail" }', trail), true);
    assert.equal(matches('{$.eventType=UpdateTrail}', trail), true);
    assert.equal(matches('{ $.sourceIPAddress != 123.123.* }', trail), true);
    assert.equal(matches('{ $.sourceIPAddress != 111.111.* }', trail), false);
    assert.equal(matches('{ $.ThisFlag IS TRUE }', trail), true);
    assert.equal(matches('{ $.ThisFlag IS FALSE }', trail), false);
    assert.equal(matches('{ $.SomeObject IS NULL }', trail), true);
    assert.equal(matches('{ $.eventType IS NULL }', trail), false);
    assert.equal(matches('{ $.missing IS NULL }', trail), false);
    assert.equal(matches('{ $.coordinates[1][2] = 6 }', trail), true);
    assert.equal(matches('{ $.dash-key = d }', trail), true);
  });

  test('wildcards: leading/trailing * only; an inner * is literal', () => {
    assert.equal(matches('{ $.eventType = *Trail }', trail), true);
    assert.equal(matches('{ $.eventType = Update* }', trail), true);
    assert.equal(matches('{ $.eventType = *dateTr* }', trail), true);
    assert.equal(matches('{ $.eventType = Up*Trail }', trail), false);
    assert.equal(matches('{ $.x = "Ev*ent" }', '{"x":"Ev*ent"}'), true);
    assert.equal(matches('{ $.x = "Ev*ent" }', '{"x":"EvXent"}'), false);
  });

  test('missing properties, arrays and objects never match a comparison, not even !=', () => {
    for (const p of ['{ $.missing != "x" }', '{ $.arrayKey != "x" }', '{ $.objectList[0] != "x" }', '{ $.SomeObject != "x" }',
      '{ $.arrayKey = * }', '{ $.missing = * }', '{ $.missing < 5 }']) {
      assert.equal(matches(p, trail), false, p);
    }
    assert.equal(matches('{ $.arrayKey[5] NOT EXISTS }', trail), true);
    assert.equal(matches('{ $.SomeObject NOT EXISTS }', trail), false, 'a null property exists');
    assert.equal(matches('{ $.eventType.sub NOT EXISTS }', trail), true);
  });

  test('numbers compare numerically; numeric strings compare by text with = and !=', () => {
    assert.equal(matches('{ $.n = 400 }', '{"n":400.0}'), true);
    assert.equal(matches('{ $.n = 4e2 }', '{"n":400}'), true);
    assert.equal(matches('{ $.n > -1.5 }', '{"n":-1}'), true);
    assert.equal(matches('{ $.n <= +10e-3 }', '{"n":0.01}'), true);
    assert.equal(matches('{ $.count = 400 }', trail), true);
    assert.equal(matches('{ $.count > 300 }', trail), false, 'a string is not a number for < > <= >=');
    assert.equal(matches('{ $.ThisFlag = true }', trail), true);
  });

  test('[*] matches any element; regex values', () => {
    assert.equal(matches('{ $.objectList[*].id = 2 }', trail), true);
    assert.equal(matches('{ $.objectList[*].id = 3 }', trail), false);
    assert.equal(matches('{ $.objectList[*].nope NOT EXISTS }', trail), true);
    assert.equal(matches('{ $.sourceIPAddress = %^111\\.% }', trail), true);
    assert.equal(matches('{ $.sourceIPAddress != %^111\\.% }', trail), false);
  });

  test('keys with dots are not reachable with $.a.b; names from Object.prototype are not inherited', () => {
    assert.equal(matches('{ $.cluster.name = "c" }', trail), false);
    assert.equal(matches('{ $.constructor = "x" }', trail), true);
    assert.equal(matches('{ $.toString NOT EXISTS }', trail), true);
    assert.equal(matches('{ $.arrayKey.length = 2 }', trail), false);
  });

  test('precedence: () > && > ||', () => {
    assert.equal(matches('{ $.a = 1 || $.b = 1 && $.c = 1 }', '{"a":1,"b":0,"c":0}'), true);
    assert.equal(matches('{ ($.a = 1 || $.b = 1) && $.c = 1 }', '{"a":1,"b":0,"c":0}'), false);
  });

  test('non-object messages never match, even NOT EXISTS', () => {
    for (const m of ['plain text', '[1,2]', '{"a":1} trailing', '{bad json', '"{}"', '']) {
      assert.equal(matches('{ $.a NOT EXISTS }', m), false, m);
    }
    assert.equal(matches('{ $.a NOT EXISTS }', '  \n{"b":1}'), true);
  });

  test('the substring pre-filter never hides JSON escapes', () => {
    assert.equal(matches('{ $.eventType = "UpdateTrail" }', '{"event\\u0054ype":"Update\\u0054rail"}'), true);
    assert.equal(matches('{ $.n IS TRUE }', '{"n":true}'), true);
  });

  test('invalid or unsupported JSON patterns are rejected', () => {
    rejects('{ $.a = 1', /must end with '}'/);
    rejects('{ }', /at least one condition/);
    rejects('{ a = 1 }', /property selector starting with '\$'/);
    rejects('{ $ = 1 }', /expected '.property'/);
    rejects('{ $[0] = 1 }', /must follow a property/);
    rejects('{ $.* = 1 }', /property name/);
    rejects('{ $.a[x] = 1 }', /array index/);
    rejects('{ $.a IS NOT NULL }', /IS NOT/);
    rejects('{ $.a EXISTS }', /EXISTS/);
    rejects('{ $.a IS MAYBE }', /NULL, TRUE or FALSE/);
    rejects('{ $.a == 1 }', /'=='/);
    rejects('{ $.a = 1 & $.b = 2 }', /use '&&'/);
    rejects('{ $.a = 1 | $.b = 2 }', /use '\|\|'/);
    rejects('{ ($.a = 1 }', /missing '\)'/);
    rejects('{ $.a = 1 ) }', /expected '&&', '\|\|' or '}'/);
    rejects('{ $.a > abc }', /compares numbers/);
    rejects('{ $.a > %x% }', /compares numbers/);
    rejects('{ $.a = user@example.com }', /double quotes/);
    rejects('{ $.a = }', /expected a value/);
    rejects('{ $.a = "x }', /unterminated quoted string/);
    rejects('{ $.a = %x% && $.b = %y% && $.c = %z% }', /at most 2 regular expressions/);
    rejects('{ $.a = 1 } extra', /must end with '}'/);
  });
});

describe('space-delimited patterns', () => {
  const apache = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';

  test('the doc example with a trailing comma extracts positional fields like $7', () => {
    const ex = extract('[..., request=*.html*, status_code=4*,]', apache);
    assert.deepEqual(ex, {
      kind: 'delimited',
      fields: {
        $1: '127.0.0.1', $2: '-', $3: 'frank', $4: '10/Oct/2000:13:25:15 -0700',
        $request: 'GET /index.html HTTP/1.0', $status_code: '404', $7: '1534',
      },
    });
  });

  test('ellipsis positions', () => {
    assert.equal(matches('[ip, user, ..., status_code = 404, bytes]', apache), true);
    assert.equal(matches('[ip, user, ...]', apache), true);
    assert.equal(matches('[..., status_code, bytes > 1000]', apache), true);
    assert.equal(matches('[..., status_code, bytes > 2000]', apache), false);
    assert.equal(matches('[..., bytes = 404, ...]', apache), true, 'two ellipses: any field may be 404');
    assert.equal(matches('[..., bytes = 405, ...]', apache), false);
    const ex = extract('[ip, ..., code = 404, ...]', apache);
    assert.ok(ex?.kind === 'delimited');
    assert.equal(ex.fields.$code, '404');
    assert.equal(ex.fields.$ip, '127.0.0.1');
    assert.equal(ex.fields.$7, '1534');
  });

  test('without ellipsis: fewer tokens than fields never match; the last field takes the rest', () => {
    assert.equal(matches('[a, b, c]', 'x y'), false);
    const ex = extract('[level=ERROR, rest]', 'ERROR  disk "very full" [now]');
    assert.deepEqual(ex, { kind: 'delimited', fields: { $level: 'ERROR', $rest: 'disk "very full" [now]' } });
    assert.deepEqual(extract('[a, b]', 'x "y z"'), { kind: 'delimited', fields: { $a: 'x', $b: 'y z' } });
  });

  test('field conditions: numbers, strings, regex, && and ||, parentheses', () => {
    assert.equal(matches('[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]', apache), true);
    assert.equal(matches('[ip, user, username, timestamp, request, status_code = 4* && status_code != 404, bytes]', apache), false);
    assert.equal(matches('[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]', apache), true);
    assert.equal(matches('[ip, user, username, timestamp, request, status_code, bytes >= 1534 && bytes < 1535]', apache), true);
    assert.equal(matches('[ip, user, username, timestamp, request, (code = 1 || code = 404) && code != 5, bytes]', apache), true);
    assert.equal(matches('[ip=%^127\\.%, user = "-", username, ...]', apache), true);
    assert.equal(matches('[ip, user != "-", ...]', apache), false);
    assert.equal(matches('[a = 404.0, ...]', '404 x'), true, 'numbers compare numerically');
    assert.equal(matches('[a > 5, ...]', 'abc x'), false);
    assert.equal(matches('[a != 5, ...]', 'abc x'), true);
  });

  test('invalid space-delimited patterns are rejected', () => {
    rejects('[]', /at least one field/);
    rejects('[a, b', /must end with '\]'/);
    rejects('[a b]', /expected a comparison operator .* found 'b' \(at position 4\)/);
    rejects('[a = 1 b]', /expected ',' or '\]'/);
    rejects('[a, a]', /duplicate field name 'a'/);
    rejects('[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]', /must all test that field/);
    rejects('[a = %x%, b = %y%, c = %z%]', /at most 2 regular expressions/);
    rejects('[a =]', /expected a value/);
    rejects('[a > x]', /compares numbers/);
    rejects('[@a]', /field name/);
  });
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
