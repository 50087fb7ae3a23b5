import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FilterExpressionError, matchesFilter, parseFilterExpression, type FilterNode, type TraceFacts } from './index.ts';

interface Vectors {
  traces: Record<string, Omit<TraceFacts, 'annotations'> & { annotations: Record<string, Array<string | number | boolean>> }>;
  cases: Array<{ expr: string; matches: string[]; groups?: Record<string, string>; note?: string }>;
  errors: Array<{ expr: string; error: string }>;
}

const vectors = JSON.parse(readFileSync(new URL('./testdata/vectors.json', import.meta.url), 'utf8')) as Vectors;
const traces = Object.entries(vectors.traces).map(([id, t]) => [id, { ...t, annotations: new Map(Object.entries(t.annotations)) }] as const);

describe('X-Ray filter expressions (vectors from the X-Ray guide)', () => {
  for (const c of vectors.cases) {
    it(`${c.expr}${c.note ? ` — ${c.note}` : ''}`, () => {
      const node = parseFilterExpression(c.expr);
      const groups = new Map(Object.entries(c.groups ?? {}).map(([name, expr]) => [name, parseFilterExpression(expr)]));
      const ctx = { group: (by: 'name' | 'arn', value: string): FilterNode | undefined => (by === 'name' ? groups.get(value) : undefined) };
      const selected = traces.filter(([, t]) => matchesFilter(node, t, ctx)).map(([id]) => id);
      assert.deepEqual(selected, c.matches);
    });
  }
  for (const e of vectors.errors) {
    it(`refuses ${JSON.stringify(e.expr)}`, () => {
      assert.throws(() => parseFilterExpression(e.expr), (err: unknown) => {
        assert.ok(err instanceof FilterExpressionError, String(err));
        assert.match(err.message, new RegExp(e.error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        assert.match(err.message, /^Invalid filter expression: .* at position \d+$/);
        return true;
      });
    });
  }
  it('names the position of the offending token', () => {
    assert.throws(() => parseFilterExpression('ok AND latency > 1'), /unknown keyword, found 'latency' at position 8$/);
  });
  it('refuses hostile nesting with an error instead of exhausting the stack', () => {
    for (const expr of ['('.repeat(10_000) + 'ok' + ')'.repeat(10_000), '!'.repeat(10_000) + 'ok', 'NOT '.repeat(5_000) + 'ok']) {
      assert.throws(() => parseFilterExpression(expr), /nesting deeper than 64 levels/);
    }
  });
});
