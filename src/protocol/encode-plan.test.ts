import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadModel, SERVICE_NAMES } from './models/index.ts';
import { encodePlan, ENCODE_MISMATCH } from './encode-plan.ts';
import { decodeWithPaths, encodeJson, encodeWithPaths, JSON_FORMAT, type DocumentFormat } from './json-codec.ts';
import { CBOR_FORMAT } from './cbor-codec.ts';
import { operationShapes, randomDocument, seeded } from './testdata/random-document.ts';

const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch (e) {
    if (e === ENCODE_MISMATCH || e instanceof TypeError) return 'misfit';
    throw e;
  }
};

test('a compiled plan encodes exactly what the walker encodes, and refuses what it refuses (every output shape of every model, JSON and CBOR)', () => {
  const rng = seeded(41);
  let compared = 0;
  let misfits = 0;
  for (const format of [JSON_FORMAT, CBOR_FORMAT] as DocumentFormat[]) {
    for (const name of SERVICE_NAMES) {
      const model = loadModel(name);
      for (const shape of operationShapes(model, 'output')) {
        for (let i = 0; i < 10; i++) {
          const wire = randomDocument(model, shape, rng, 0.03);
          if (wire === null || wire === undefined) continue;
          // Domain values as handlers return them (Dates, Buffers), and the raw document, whose
          // text timestamps, base64 blobs and wrong types exercise the lenient and the refusing paths.
          let domain: unknown;
          try {
            domain = decodeWithPaths(model, shape, structuredClone(wire), '', JSON_FORMAT);
          } catch {
            domain = undefined;
          }
          for (const value of domain === undefined ? [wire] : [domain, wire]) {
            const plan = outcome(() => encodePlan(model, shape, format)(value));
            const walker = outcome(() => encodeWithPaths(model, shape, value, format));
            assert.deepEqual(plan, walker, `${format.name} ${name} ${shape}: ${JSON.stringify(value).slice(0, 300)}`);
            compared++;
            if (walker === 'misfit') misfits++;
          }
        }
      }
    }
  }
  assert.ok(compared > 5000 && misfits > 300 && compared - misfits > 3000, `${compared} compared, ${misfits} misfits`);
});

test('a member timestampFormat is honoured by its own plan; a misfit still names its path', () => {
  const model = {
    metadata: { apiVersion: '1', endpointPrefix: 'x', protocol: 'json', serviceId: 'X' },
    operations: {},
    shapes: {
      Out: { type: 'structure', members: { At: { shape: 'T', timestampFormat: 'iso8601' }, Epoch: { shape: 'T' }, Items: { shape: 'L' } } },
      L: { type: 'list', member: { shape: 'Out' } },
      T: { type: 'timestamp' },
    },
  } as unknown as Parameters<typeof encodePlan>[0];
  const at = new Date(Date.UTC(2026, 11, 7, 1, 2, 3));
  assert.deepEqual(encodeJson(model, 'Out', { At: at, Epoch: at, Items: [{ At: at }] }), {
    At: '2026-12-07T01:02:03.000Z', Epoch: 1796605323, Items: [{ At: '2026-12-07T01:02:03.000Z' }],
  });
  assert.throws(() => encodeJson(model, 'Out', { Items: [{}, { Epoch: 'soon' }] }), /Output Out\.Items\[1\]\.Epoch: expected a timestamp, got string "soon"/);
});
