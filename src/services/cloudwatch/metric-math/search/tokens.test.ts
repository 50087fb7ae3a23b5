import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { partialMatcher, tokensOf } from './tokens.ts';

const finds = (term: string, name: string): boolean => partialMatcher(term).matches(name);

describe('tokenization (the doc table)', () => {
  test('camel case, digits and delimiters start tokens; the whole name is a token too', () => {
    assert.deepEqual(tokensOf('CustomCount1').sort(), ['1', 'count', 'custom', 'customcount1']);
    assert.deepEqual(tokensOf('SDBFailure').sort(), ['failure', 'sdb', 'sdbfailure']);
    assert.deepEqual(tokensOf('Project2-trial333').sort(), ['2', '333', 'project', 'project2trial333', 'trial']);
    assert.deepEqual(tokensOf('Network-Errors_2').sort(), ['2', 'errors', 'network', 'networkerrors2']);
  });
});

describe('partial matches', () => {
  test('a single token matches case-insensitively', () => {
    for (const term of ['count', 'Count', 'COUNT', 'custom', '1', 'customcount1']) assert.ok(finds(term, 'CustomCount1'), term);
  });

  test('a token matches whole tokens only', () => {
    assert.ok(!finds('coun', 'CustomCount1'));
    assert.ok(!finds('customcount', 'CustomCount1'));
    assert.ok(finds('Errors', 'ConnectionErrors'));
    assert.ok(!finds('Error', 'ConnectionErrors'));
  });

  test('composite tokens match case-sensitively (CustomCount, Count1 yes; customcount, count1, couNT no)', () => {
    assert.ok(finds('CustomCount', 'CustomCount1'));
    assert.ok(finds('Count1', 'CustomCount1'));
    assert.ok(!finds('count1', 'CustomCount1'));
    assert.ok(!finds('couNT', 'CustomCount1'));
    assert.ok(finds('ReadOps', 'VolumeReadOps'));
    assert.ok(finds('ProjectA', 'ProjectA-handler'));
  });

  test('non-alphanumeric characters in the term separate words (network/errors, network+errors, network-errors, Network_Errors)', () => {
    for (const term of ['network/errors', 'network+errors', 'network-errors', 'Network_Errors']) {
      assert.ok(finds(term, 'Network-Errors-2'), `${term} finds Network-Errors-2`);
      assert.ok(finds(term, 'NetworkErrors2'), `${term} finds NetworkErrors2`);
    }
    assert.ok(finds('i-1234567890123456', 'i-1234567890123456'));
    assert.ok(!finds('errors/network', 'Network-Errors-2'));
  });

  test('namespaces and instance types', () => {
    assert.ok(finds('micro', 't2.micro'));
    assert.ok(finds('EC2', 'AWS/EC2'));
    assert.ok(finds('AWS', 'AWS/EC2'));
    assert.ok(!finds('AWS', 'MyApp'));
  });

  test('a term with no letters or digits matches nothing', () => {
    assert.ok(!finds('--', 'a-b'));
  });
});
