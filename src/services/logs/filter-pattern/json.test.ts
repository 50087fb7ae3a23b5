import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { matches, rejects } from './test-support.ts';

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

describe('JSON wildcard selector $.* and bracket notation', () => {
  // The doc's sample event for "Using filter patterns to match terms in JSON log events".
  const doc = JSON.stringify({
    eventType: 'UpdateTrail', sourceIPAddress: '111.111.111.111', arrayKey: ['value', 'another value'],
    objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }], SomeObject: null, 'cluster.name': 'c',
  });

  test('$.* selects any top-level field (the doc example)', () => {
    assert.equal(matches('{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }', doc), true);
    assert.equal(matches('{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }', '{"ip":"111.111.111.99"}'), false);
    assert.equal(matches('{ $.* = "UpdateTrail" }', doc), true);
    assert.equal(matches('{ $.* = "a" }', doc), false, 'one level only: objectList[0].name is not a top-level field');
    assert.equal(matches('{ $.* IS NULL }', doc), true);
    assert.equal(matches('{ $.* > 5 }', '{"a":"x","b":7}'), true);
    assert.equal(matches('{ $.* > 5 }', '{"a":"x","b":3}'), false);
    assert.equal(matches('{ $.* = 7 }', '{"a":[7],"b":{"c":7}}'), false, 'arrays and objects never match a comparison');
    assert.equal(matches('{ $.* != "x" }', '{"a":"x","b":"y"}'), true, 'some field differs');
    assert.equal(matches('{ $.* NOT EXISTS }', '{}'), true);
    assert.equal(matches('{ $.* NOT EXISTS }', '{"a":1}'), false);
  });

  test('.* after a property or an index selects that object\'s fields; it does not expand arrays', () => {
    assert.equal(matches('{ $.objectList[1].* = "b" }', doc), true);
    assert.equal(matches('{ $.*.id = 2 }', '{"x":{"id":1},"y":{"id":2}}'), true);
    assert.equal(matches('{ $.*.id = 3 }', '{"x":{"id":1},"y":{"id":2}}'), false);
    assert.equal(matches('{ $.arrayKey.* = "value" }', doc), false, 'arrays use [*]');
    assert.equal(matches('{ $.* = "__proto__" }', '{"__proto__":"__proto__"}'), true);
  });

  test('bracket notation selects keys with periods and other special characters', () => {
    assert.equal(matches("{ $.['cluster.name'] = \"c\" }", doc), true);
    assert.equal(matches("{ $.['cluster.name'] = \"d\" }", doc), false);
    assert.equal(matches('{ $.["cluster.name"] = c }', doc), true);
    assert.equal(matches("{ $['cluster.name'] = c }", doc), true);
    assert.equal(matches("{ $.k8s['pod.name'] = web }", '{"k8s":{"pod.name":"web"}}'), true);
    assert.equal(matches("{ $.k8s.['pod.name'] = web }", '{"k8s":{"pod.name":"web"}}'), true);
    assert.equal(matches("{ $.a[0]['b c'] = 1 }", '{"a":[{"b c":1}]}'), true);
    assert.equal(matches("{ $.['a]b}'] = 1 && $.['x && y'] = 2 }", '{"a]b}":1,"x && y":2}'), true);
    assert.equal(matches("{ $.['it\\'s'] = 1 }", '{"it\'s":1}'), true);
    assert.equal(matches("{ $.['*'] = 1 }", '{"*":1,"b":2}'), true, "['*'] is a key named *");
    assert.equal(matches("{ $.['*'] = 2 }", '{"*":1,"b":2}'), false);
    assert.equal(matches("{ $.['cluster.name'] NOT EXISTS }", '{"cluster":{"name":"c"}}'), true);
  });

  test('wildcard quotas and malformed brackets are rejected', () => {
    rejects('{ $.*[*] = 1 }', /at most 1 wildcard selector/);
    rejects('{ $.a[*].* = 1 }', /at most 1 wildcard selector/);
    assert.equal(matches('{ $.* = 1 || $.a[*] = 1 || $.b.* = 1 }', '{"b":{"c":1}}'), true);
    rejects('{ $.* = 1 || $.a[*] = 1 || $.b.* = 1 || $.c.* = 1 }', /at most 3 wildcard selectors.*position 41\)/);
    rejects("{ $.['a = 1 }", /unterminated property name/);
    rejects('{ $.[a] = 1 }', /quoted property name/);
    rejects('{ $.[0] = 1 }', /quoted property name/);
    rejects("{ $.['a'x] = 1 }", /missing '\]'/);
    rejects('{ $.a.b* = 1 }', /comparison operator/);
    rejects('{ $. * = 1 }', /property name .* or '\*'/);
  });
});
