// Expected codes and texts: LocalStack test_events snapshot (test_put_events_without_source,
// test_put_event_without_detail, test_put_event_without_detail_type, test_put_event_malformed_detail),
// recorded against AWS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePutEventsEntry } from './validate-entry.ts';

const ok = { Source: 'core.update-account-command', DetailType: 'core.update-account-command', Detail: '{"command":"update-account"}' };

test('a complete entry with an object Detail is accepted', () => {
  assert.equal(validatePutEventsEntry(ok), undefined);
});

test('a missing Source, DetailType or Detail is an InvalidArgument naming the parameter', () => {
  for (const name of ['Source', 'DetailType', 'Detail'] as const) {
    const entry = { ...ok, [name]: undefined };
    assert.deepEqual(validatePutEventsEntry(entry), {
      errorCode: 'InvalidArgument',
      errorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
    });
  }
});

test('an empty string counts as missing', () => {
  assert.equal(validatePutEventsEntry({ ...ok, Source: '' })?.errorCode, 'InvalidArgument');
});

test('Source is reported before DetailType and Detail when several are missing', () => {
  assert.match(validatePutEventsEntry({})!.errorMessage, /^Parameter Source /);
});

test('a Detail that is not a JSON object is MalformedDetail', () => {
  for (const detail of ['NotJSON', '[]', '{{}', JSON.stringify('NotJSON'), '1', 'null']) {
    assert.deepEqual(validatePutEventsEntry({ ...ok, Detail: detail }),
      { errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' }, detail);
  }
});
