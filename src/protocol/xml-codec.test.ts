import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeXmlAttribute, escapeXmlText } from './xml-codec.ts';

test('text escaping covers markup, CR and characters XML 1.0 cannot carry', () => {
  assert.equal(escapeXmlText('a & b < c > d "q" \'s\''), 'a &amp; b &lt; c &gt; d "q" \'s\'');
  assert.equal(escapeXmlText(']]>'), ']]&gt;');
  assert.equal(escapeXmlText('a\r\nb\tc'), 'a&#xD;\nb\tc');
  assert.equal(escapeXmlText('bell\u0007 nul\u0000 \uFFFE'), 'bell\uFFFD nul\uFFFD \uFFFD');
  // Paired surrogates (emoji) pass; lone ones are replaced.
  assert.equal(escapeXmlText('😀 \uD83D x \uDE00'), '😀 \uFFFD x \uFFFD');
  assert.equal(escapeXmlAttribute('a"b\nc'), 'a&quot;b&#xA;c');
});

// Round trips through real parsers (SDK v3, botocore/expat) are in query-codec.test.ts.
