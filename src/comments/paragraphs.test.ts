import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topLevelParagraphs } from './paragraphs.ts';

describe('topLevelParagraphs', () => {
  it('numbers only top-level <p> elements, keeping their markup', () => {
    const html =
      '<p>One <em>two</em></p>\n<blockquote><p>quoted</p></blockquote><hr /><p>Three<br />four</p><div><p>inner</p></div><p></p>';
    assert.deepEqual(topLevelParagraphs(html), ['<p>One <em>two</em></p>', '<p>Three<br />four</p>', '<p></p>']);
  });

  it('gives nothing for text without paragraphs', () => {
    assert.deepEqual(topLevelParagraphs(''), []);
    assert.deepEqual(topLevelParagraphs('<ul><li>a</li></ul>'), []);
  });

  it('handles attributes and nested paragraphs-like tags', () => {
    assert.deepEqual(topLevelParagraphs('<p align="center">a <span><strong>b</strong></span></p><p class="x">c</p>'), [
      '<p align="center">a <span><strong>b</strong></span></p>',
      '<p class="x">c</p>',
    ]);
  });
});
