import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadModel, SERVICE_NAMES } from './models/index.ts';
import { decodePlan, DECODE_MISMATCH } from './decode-plan.ts';
import { decodeWithPaths, JSON_FORMAT, decodeJson } from './json-codec.ts';
import { ServiceError } from './errors.ts';
import { operationShapes, randomDocument, seeded } from './testdata/random-document.ts';

const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch (e) {
    if (e === DECODE_MISMATCH || e instanceof ServiceError) return 'mismatch';
    throw e;
  }
};

test('a compiled plan decodes exactly what the walker decodes, and fails where it fails (every input shape of every model)', () => {
  const rng = seeded(17);
  let compared = 0;
  let mismatches = 0;
  for (const name of SERVICE_NAMES) {
    const model = loadModel(name);
    for (const shape of operationShapes(model)) {
      for (let i = 0; i < 20; i++) {
        const doc = randomDocument(model, shape, rng);
        if (doc === null || doc === undefined) continue;
        const plan = outcome(() => decodePlan(model, shape, JSON_FORMAT)(structuredClone(doc)));
        const walker = outcome(() => decodeWithPaths(model, shape, structuredClone(doc), '', JSON_FORMAT));
        assert.deepEqual(plan, walker, `${name} ${shape}: ${JSON.stringify(doc).slice(0, 300)}`);
        compared++;
        if (walker === 'mismatch') mismatches++;
      }
    }
  }
  // Both outcomes were exercised in volume.
  assert.ok(compared > 5000 && mismatches > 500 && compared - mismatches > 2000, `${compared} compared, ${mismatches} mismatches`);
});

test('a recursive shape decodes through its own plan', () => {
  const model = {
    metadata: { apiVersion: '1', endpointPrefix: 'x', protocol: 'json', serviceId: 'X' },
    operations: {},
    shapes: {
      Node: { type: 'structure', members: { Name: { shape: 'S' }, Children: { shape: 'Nodes' } } },
      Nodes: { type: 'list', member: { shape: 'Node' } },
      S: { type: 'string' },
    },
  } as unknown as Parameters<typeof decodePlan>[0];
  const doc = { Name: 'a', Children: [{ Name: 'b', Children: [{ Name: 'c', Extra: 1 }] }] };
  assert.deepEqual(decodeJson(model, 'Node', doc), { Name: 'a', Children: [{ Name: 'b', Children: [{ Name: 'c' }] }] });
  assert.throws(() => decodeJson(model, 'Node', { Children: [{ Children: [{ Name: 5 }] }] }), /member 'Children\[0\]\.Children\[0\]\.Name': expected a string, got number 5/);
});
