import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReservoirAllocator } from './reservoir.ts';

describe('reservoir quotas', () => {
  it('gives a lone instance the whole reservoir for the next interval', () => {
    const r = new ReservoirAllocator();
    r.report('r', 'a'.repeat(24), 500, 1000);
    assert.deepEqual(r.quota('r', 'a'.repeat(24), 1, 1000), { quota: 1, ttl: 1010 });
  });

  it('splits by request volume and never hands out more than the reservoir', () => {
    const r = new ReservoirAllocator();
    r.report('r', 'a', 300, 1000);
    r.report('r', 'b', 100, 1000);
    r.report('r', 'c', 100, 1000);
    const q = ['a', 'b', 'c'].map((id) => r.quota('r', id, 10, 1001).quota);
    assert.deepEqual(q, [6, 2, 2]);
    const odd = ['a', 'b', 'c'].map((id) => r.quota('r', id, 1, 1001).quota);
    assert.equal(odd.reduce((x, y) => x + y, 0), 1);
    assert.equal(odd[0], 1);
  });

  it('drops instances that stopped reporting and answers 0 to unknown ones', () => {
    const r = new ReservoirAllocator();
    r.report('r', 'a', 10, 1000);
    r.report('r', 'b', 10, 1040);
    assert.equal(r.quota('r', 'b', 4, 1041).quota, 4);
    assert.equal(r.quota('r', 'z', 4, 1041).quota, 0);
    assert.equal(r.quota('r', 'b', 0, 1041).quota, 0);
  });

  it('shares equally when no instance saw requests', () => {
    const r = new ReservoirAllocator();
    r.report('r', 'a', 0, 1000);
    r.report('r', 'b', 0, 1000);
    assert.deepEqual(['a', 'b'].map((id) => r.quota('r', id, 4, 1000).quota), [2, 2]);
  });
});
