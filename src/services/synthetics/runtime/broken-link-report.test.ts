import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrokenLinkCheckerReport } from './broken-link-report.ts';
import { SyntheticsLink } from './link.ts';

test('a link is broken without a status or with 400+, unless the caller decides', () => {
  const report = new BrokenLinkCheckerReport();
  report.addLink(new SyntheticsLink('http://a/').withStatusCode(200));
  report.addLink(new SyntheticsLink('http://a/missing').withStatusCode('404').withParentUrl('http://a/').withText(' Missing '));
  report.addLink(new SyntheticsLink('http://nowhere/').withFailureReason(new Error('net::ERR_NAME_NOT_RESOLVED')));
  report.addLink(new SyntheticsLink('http://a/teapot').withStatusCode(418), false);
  assert.equal(report.getTotalLinksChecked(), 4);
  assert.equal(report.getTotalBrokenLinks(), 2);
  const json = report.toJSON() as { links: Record<string, unknown>[] };
  assert.deepEqual(
    json.links.map((l) => [l.url, l.isBroken]),
    [['http://a/', false], ['http://a/missing', true], ['http://nowhere/', true], ['http://a/teapot', false]],
  );
  assert.equal(json.links[1]?.text, 'Missing');
  assert.equal(json.links[2]?.failureReason, 'net::ERR_NAME_NOT_RESOLVED');
  assert.throws(() => report.addLink({} as SyntheticsLink), TypeError);
});
