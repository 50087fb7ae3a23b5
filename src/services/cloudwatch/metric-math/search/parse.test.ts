import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from '../errors.ts';
import type { SearchTerm } from './ast.ts';
import { parseSearchQuery } from './parse.ts';

function show(t: SearchTerm | undefined): string {
  if (t === undefined) return '';
  switch (t.kind) {
    case 'and':
      return `(${t.terms.map(show).join(' AND ')})`;
    case 'or':
      return `(${t.terms.map(show).join(' OR ')})`;
    case 'not':
      return `NOT ${show(t.term)}`;
    case 'match': {
      const p = t.property;
      const prefix = p.kind === 'any' ? '' : `${p.kind === 'dimension' ? p.name : p.kind}=`;
      return `${prefix}${t.exact ? JSON.stringify(t.value) : t.value}`;
    }
  }
}

const term = (q: string): string => show(parseSearchQuery(q).term);
const rejects = (q: string, pattern: RegExp): void => {
  assert.throws(() => parseSearchQuery(q), (e: unknown) => e instanceof MetricMathError && pattern.test(e.message));
};

describe('metric schema', () => {
  test('namespace and dimension names, spaces trimmed', () => {
    assert.deepEqual(parseSearchQuery(' {AWS/EC2, InstanceId} MetricName="CPUUtilization" ').schema, { namespace: 'AWS/EC2', dimensionNames: ['InstanceId'] });
    assert.deepEqual(parseSearchQuery('{AWS/EC2}').schema, { namespace: 'AWS/EC2', dimensionNames: [] });
  });

  test('names with spaces or symbols in double quotes, and a comma after the schema', () => {
    const q = parseSearchQuery(` {"My Namespace", "Dimension@Name"}, "Custom:Name[Special_Characters" `);
    assert.deepEqual(q.schema, { namespace: 'My Namespace', dimensionNames: ['Dimension@Name'] });
    assert.equal(term(` {"My Namespace", "Dimension@Name"}, "Custom:Name[Special_Characters" `), '"Custom:Name[Special_Characters"');
    assert.equal(term(` {AWS/Lambda, FunctionName}, MetricName="Errors" `), 'metricName="Errors"');
  });

  test('errors', () => {
    rejects('{}', /must start with a namespace/);
    rejects('{AWS/EC2, }', /empty dimension name/);
    rejects('{AWS/EC2 MetricName=x', /closing '}'/);
  });
});

describe('search terms', () => {
  test('partial, exact and designators', () => {
    assert.equal(term('Errors'), 'Errors');
    assert.equal(term('"Errors"'), '"Errors"');
    assert.equal(term('InstanceType=micro'), 'InstanceType=micro');
    assert.equal(term('InstanceType="t2.micro" Namespace="AWS/EC2"'), '(InstanceType="t2.micro" AND namespace="AWS/EC2")');
    assert.equal(term(':aws.AccountId = "444455556666"'), 'accountId="444455556666"');
  });

  test('side by side terms are ANDed; AND binds tighter than OR; NOT applies to the next term', () => {
    assert.equal(term('network packets'), '(network AND packets)');
    assert.equal(term('network AND packets'), '(network AND packets)');
    assert.equal(term('"ConsumedLCUs" OR flow'), '("ConsumedLCUs" OR flow)');
    assert.equal(term('MetricName="CPUUtilization" NOT "ProjectA" NOT "ProjectB"'), '(metricName="CPUUtilization" AND NOT "ProjectA" AND NOT "ProjectB")');
    assert.equal(term('NOT Namespace=AWS'), 'NOT namespace=AWS');
  });

  test('parentheses group, nested too', () => {
    assert.equal(term('(EC2 OR EBS) AND MetricName=ReadOps'), '((EC2 OR EBS) AND metricName=ReadOps)');
    assert.equal(term('(EC2 OR EBS) MetricName=ReadOps'), '((EC2 OR EBS) AND metricName=ReadOps)');
    assert.equal(
      term('{AWS/Lambda,FunctionName} MetricName="Errors" OR (MetricName="Invocations" AND (ProjectA OR ProjectB))'),
      '(metricName="Errors" OR (metricName="Invocations" AND (ProjectA OR ProjectB)))',
    );
  });

  test('Boolean operators are case-sensitive: lowercase and/or/not are search terms', () => {
    assert.equal(term('network and packets'), '(network AND and AND packets)');
  });

  test('exact strings unescape \\" \\\\ \\( \\)', () => {
    assert.equal(parseSearchQuery(String.raw`"Europe\\France Traffic\(Network\)"`).term?.kind, 'match');
    const t = parseSearchQuery(String.raw`"Europe\\France Traffic\(Network\) \"x\""`).term;
    assert.ok(t?.kind === 'match' && t.value === 'Europe\\France Traffic(Network) "x"');
  });

  test('errors', () => {
    rejects('', /metric schema .* search term, or both/);
    rejects('(a OR b', /expected '\)'/);
    rejects('a OR', /expected a search term but found the end/);
    rejects('NOT', /expected a search term/);
    rejects('MetricName=', /expected a value after MetricName=/);
    rejects('"unterminated', /unterminated/);
    rejects('a )', /unexpected '\)'/);
    rejects(`{AWS/EC2} ${'x'.repeat(1020)}`, /maximum is 1024/);
  });
});
