import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparedPixels, ignoreMask, parseIgnoreCoordinates } from './ignore-coordinates.ts';

test('IgnoreCoordinates strings read as two corners in either order', () => {
  assert.deepEqual(parseIgnoreCoordinates('10,20,110,70'), { x: 10, y: 20, width: 100, height: 50 });
  assert.deepEqual(parseIgnoreCoordinates('110,70,10,20'), { x: 10, y: 20, width: 100, height: 50 });
  assert.deepEqual(parseIgnoreCoordinates('-5.5,0,10.25,3'), { x: -5.5, y: 0, width: 15.75, height: 3 });
});

test('strings breaking AWS\'s pattern are rejected', () => {
  for (const bad of ['1,2,3', '1,2,3,4,5', 'a,b,c,d', '1.234,2,3,4', '12345678,1,2,3', ' 1,2,3,4']) {
    assert.equal(parseIgnoreCoordinates(bad), undefined, bad);
  }
});

test('the mask covers the rectangles clipped to the image', () => {
  const mask = ignoreMask([{ x: 1, y: 1, width: 2, height: 1 }, { x: 3, y: -2, width: 10, height: 3 }], 4, 3);
  assert.deepEqual([...mask], [0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0]);
  assert.equal(comparedPixels(mask), 9);
});
