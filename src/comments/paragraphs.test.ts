import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toReaderHtml } from '../works/text/reader-embeds.ts';
import { sanitizeWorkHtml } from '../works/text/sanitize.ts';
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

  it('counts the paragraphs the sanitizer makes, as a reader sees them (AO3 rules)', () => {
    // An inline element across blank lines: three paragraphs, each in its own <i>.
    const letter = sanitizeWorkHtml('<i>Dear John,\n\nI write.\n\nLove,\nM</i>');
    assert.deepEqual(topLevelParagraphs(letter), ['<p><i>Dear John,</i></p>', '<p><i>I write.</i></p>', '<p><i>Love,<br />M</i></p>']);
    // Two <br>s in a row end a paragraph.
    assert.equal(topLevelParagraphs(sanitizeWorkHtml('some<br/><br/>text')).length, 2);
  });

  it('a player is in its own paragraph, counted the same in the stored HTML and on the page', () => {
    const stored = sanitizeWorkHtml('Before.\n\n<iframe src="https://player.vimeo.com/video/1"></iframe>\n\nAfter.', {
      embedHosts: ['player.vimeo.com'],
    });
    assert.equal(topLevelParagraphs(stored).length, 3);
    assert.equal(topLevelParagraphs(toReaderHtml(stored, ['player.vimeo.com'])).length, 3);
  });
});
