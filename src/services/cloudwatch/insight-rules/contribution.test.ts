import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, clfFields, jsonPath } from './contribution.ts';
import { matchesLogGroup, parseRuleDefinition } from './definition.ts';

const rule = (over: Record<string, unknown>) => JSON.stringify({
  Schema: { Name: 'CloudWatchLogRule', Version: 1 }, LogGroupNames: ['/web/*'], LogFormat: 'JSON',
  Contribution: { Keys: ['$.ip'] }, AggregateOn: 'Count', ...over,
});
const def = (over: Record<string, unknown>) => parseRuleDefinition(rule(over), 'us-east-1', '000000000000');

test('JSON keys, ValueOf and filters', () => {
  const r = compileRule(def({
    Contribution: { Keys: ['$.ip', '$.req.method'], ValueOf: '$.bytes', Filters: [{ Match: '$.status', GreaterThan: 399 }, { Match: '$.req.path', StartsWith: ['/api'] }] },
    AggregateOn: 'Sum',
  }));
  assert.deepEqual(r.contribute('{"ip":"1.2.3.4","req":{"method":"GET","path":"/api/x"},"status":500,"bytes":"120"}'), { key: '["1.2.3.4","GET"]', value: 120 });
  assert.equal(r.contribute('{"ip":"1.2.3.4","req":{"method":"GET","path":"/api/x"},"status":200,"bytes":120}'), null, 'filtered out');
  assert.equal(r.contribute('{"ip":"1.2.3.4","req":{"method":"GET","path":"/api/x"},"status":500}'), null, 'no ValueOf');
  assert.equal(r.contribute('{"req":{"method":"GET","path":"/api"},"status":500,"bytes":1}'), null, 'no key');
  assert.equal(r.contribute('not json'), null);
});

test('In, NotIn, EqualTo, NotEqualTo, IsPresent, array indexes', () => {
  const c = (f: Record<string, unknown>) => compileRule(def({ Contribution: { Keys: ['$.tags[1]'], Filters: [f] } }));
  const ev = '{"tags":["a","b"],"m":"PUT","code":200}';
  assert.deepEqual(c({ Match: '$.m', In: ['PUT', 'POST'] }).contribute(ev), { key: '["b"]', value: 1 });
  assert.equal(c({ Match: '$.m', NotIn: ['PUT'] }).contribute(ev), null);
  assert.ok(c({ Match: '$.code', EqualTo: 200 }).contribute(ev));
  assert.equal(c({ Match: '$.code', NotEqualTo: 200 }).contribute(ev), null);
  assert.ok(c({ Match: '$.missing', IsPresent: false }).contribute(ev));
  assert.equal(c({ Match: '$.missing', In: ['x'] }).contribute(ev), null);
  assert.deepEqual(jsonPath('$.users[1].name'), ['users', 1, 'name']);
});

test('CLF fields by position and alias', () => {
  assert.deepEqual(clfFields('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326'),
    ['127.0.0.1', '-', 'frank', '10/Oct/2000:13:55:36 -0700', 'GET /a.gif HTTP/1.0', '200', '2326']);
  const r = compileRule(def({ LogFormat: 'CLF', Fields: { 1: 'ip', 6: 'status' }, Contribution: { Keys: ['ip'], ValueOf: '7', Filters: [{ Match: 'status', EqualTo: 200 }] }, AggregateOn: 'Sum' }));
  assert.deepEqual(r.contribute('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326'), { key: '["127.0.0.1"]', value: 2326 });
});

test('definitions are checked like CloudWatch checks them', () => {
  const bad = (over: Record<string, unknown>, re: RegExp) => assert.throws(() => def(over), (e: Error) => re.test(e.message));
  bad({ Extra: 1 }, /Unrecognized key.*Extra/);
  bad({ Contribution: { Keys: ['$.a', '$.b', '$.c', '$.d', '$.e'] } }, /Contribution\.Keys/);
  bad({ Contribution: { Keys: ['$.a'], Unknown: true } }, /Contribution: Unrecognized key/);
  bad({ Contribution: { Keys: ['$.a'], ValueOf: '$.b' } }, /ValueOf can be specified only when AggregateOn is Sum/);
  bad({ AggregateOn: 'Sum' }, /AggregateOn Sum needs a ValueOf/);
  bad({ Contribution: { Keys: ['$.a'], Filters: [{ Match: '$.a', In: ['x'], EqualTo: 1 }] } }, /exactly one of/);
  bad({ LogGroupARNs: ['arn:aws:logs:us-east-1:000000000000:log-group:x'] }, /either LogGroupNames or LogGroupARNs/);
  bad({ Schema: { Name: 'CloudWatchLogRule', Version: 2 } }, /Schema\.Version/);
  assert.throws(() => parseRuleDefinition('{', 'us-east-1', '000000000000'), /not valid JSON/);
  assert.ok(matchesLogGroup(['/web/*', 'exact'], '/web/prod') && matchesLogGroup(['exact'], 'exact') && !matchesLogGroup(['exact'], 'exact2'));
});
