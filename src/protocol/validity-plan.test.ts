import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadModel, SERVICE_NAMES } from './models/index.ts';
import { decodeWithPaths, JSON_FORMAT } from './json-codec.ts';
import { isValid } from './validity-plan.ts';
import { collectViolations } from './validate.ts';
import { operationShapes, randomDocument, seeded } from './testdata/random-document.ts';

test('a compiled plan accepts exactly the inputs in which the walker finds no violation (every input shape of every model)', () => {
  const rng = seeded(29);
  let valid = 0;
  let invalid = 0;
  for (const name of SERVICE_NAMES) {
    const model = loadModel(name);
    for (const shape of operationShapes(model)) {
      for (let i = 0; i < 12; i++) {
        let input: unknown;
        try {
          input = decodeWithPaths(model, shape, randomDocument(model, shape, rng, 0.01), '', JSON_FORMAT);
        } catch {
          continue; // validation sees decoded input only
        }
        const { missing, invalid: broken } = collectViolations(model, shape, input);
        const walkerValid = missing.length + broken.length === 0;
        assert.equal(isValid(model, shape, input), walkerValid, `${name} ${shape}: ${JSON.stringify([missing, broken]).slice(0, 400)}`);
        if (walkerValid) valid++;
        else invalid++;
      }
    }
  }
  assert.ok(valid > 1000 && invalid > 1000, `${valid} valid, ${invalid} invalid`);
});
