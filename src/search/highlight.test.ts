import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MARK_START as S, MARK_STOP as E, toSafeSnippet } from './highlight.ts';

describe('snippet highlighting', () => {
  it('escapes the text and keeps only its own <mark> markers', () => {
    assert.equal(
      toSafeSnippet(`a <script>alert(1)</script> ${S}vampire${E} & "b"`),
      'a &lt;script&gt;alert(1)&lt;/script&gt; <mark>vampire</mark> &amp; &quot;b&quot;',
    );
  });

  it('decodes stored entities before escaping, so nothing is double-escaped or smuggled', () => {
    assert.equal(toSafeSnippet(`Tom &amp; Jerry &lt;b&gt; ${S}x${E}`), 'Tom &amp; Jerry &lt;b&gt; <mark>x</mark>');
    // A numeric entity for a control character cannot become a marker.
    assert.equal(toSafeSnippet('a &#1;b&#2; c'), 'a b c');
    assert.equal(toSafeSnippet('&lt;mark&gt;'), '&lt;mark&gt;');
  });

  it('balances an unclosed marker', () => {
    assert.equal(toSafeSnippet(`${S}open`), '<mark>open</mark>');
    assert.equal(toSafeSnippet(`${E}x`), 'x');
  });
});
