import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { countWords, htmlToText, toChapterHtml, toFieldHtml } from './index.ts';

const FOUNDING_STORY = path.resolve(import.meta.dirname, '../../../test/fixtures/000_e9b62997e455ea94.txt');

/** The text content of each <p> of HTML built from escaped text (only &amp; &lt; &gt; occur). */
function paragraphTexts(html: string): string[] {
  return [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

describe('toChapterHtml: the founding story as plain text', () => {
  const source = readFileSync(FOUNDING_STORY, 'utf8');
  const html = toChapterHtml(source, 'plain');
  const lines = source.split('\n').filter((line) => line !== '');

  test('becomes exactly 58 paragraphs, each the source line verbatim', () => {
    assert.equal(lines.length, 58);
    const texts = paragraphTexts(html);
    assert.equal(texts.length, 58);
    assert.deepEqual(texts, lines);
    // Nothing but the paragraphs: no stray text or markup between them.
    assert.equal(html, lines.map((line) => `<p>${line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`).join('\n'));
  });

  test("keeps the author's characters: stray space in a quote, typos, straight quotes", () => {
    assert.ok(html.includes('<p>" I SAID NO!" Caroline whipped around and screamed into Stefan\'s face.</p>'));
    assert.ok(html.includes('"Its my turn now."'));
    assert.ok(html.includes('as fast as the possibly could'));
    assert.ok(!html.includes('&quot;') && !html.includes('&#39;') && !html.includes('\u201C'));
  });

  test('the doubled blank line separates, it does not make an empty paragraph', () => {
    assert.ok(source.includes('\n\n\n'));
    assert.ok(!/<p>\s*<\/p>/.test(html));
  });

  test('round-trips through htmlToText, and markup does not change the word count', () => {
    assert.equal(htmlToText(html), lines.join('\n\n'));
    assert.equal(countWords(html), countWords(source));
    // 1,521 whitespace-separated tokens, less two lone `"`, plus `me...I` being two words.
    assert.equal(countWords(source), 1520);
  });
});

describe('toChapterHtml: plain text', () => {
  test('blank-line and single-newline separated lines are paragraphs', () => {
    assert.equal(toChapterHtml('One.\nTwo.\n\nThree.\n\n\n\nFour.\n', 'plain'), '<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>\n<p>Four.</p>');
  });

  test('CRLF and lone CR line endings: only the line-ending characters go', () => {
    assert.equal(toChapterHtml('One. \r\n\r\nTwo.\rThree.\r\n', 'plain'), '<p>One. </p>\n<p>Two.</p>\n<p>Three.</p>');
  });

  test('tabs and spaces inside and around a line are kept as typed', () => {
    assert.equal(toChapterHtml('\tIndented  twice\t\n   \n  lead', 'plain'), '<p>\tIndented  twice\t</p>\n<p>  lead</p>');
  });

  test('unicode is kept as characters, not entities', () => {
    const text = 'Café — “curly” ‘quotes’ … 漢字かなカナ 🙂 Ωmega';
    assert.equal(toChapterHtml(text, 'plain'), `<p>${text}</p>`);
  });

  test('markup in plain text is shown literally, never run', () => {
    const html = toChapterHtml('<script>alert("x")</script> & <b>bold</b> <3', 'plain');
    assert.equal(html, '<p>&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &lt;3</p>');
    assert.equal(htmlToText(html), '<script>alert("x")</script> & <b>bold</b> <3');
  });

  test('entities typed by the author stay as typed text', () => {
    assert.equal(toChapterHtml('AT&amp;T &nbsp;', 'plain'), '<p>AT&amp;amp;T &amp;nbsp;</p>');
  });

  test('a BOM and characters illegal in XHTML are dropped, nothing else', () => {
    assert.equal(toChapterHtml('\uFEFFa\u0000b\u0007c\u000Cd', 'plain'), '<p>abcd</p>');
  });

  test('empty and whitespace-only input give no paragraphs', () => {
    assert.equal(toChapterHtml('', 'plain'), '');
    assert.equal(toChapterHtml(' \n\t\r\n', 'plain'), '');
  });
});

describe('toChapterHtml: markdown', () => {
  test('GFM: emphasis, headings, lists, strikethrough, tables', () => {
    const html = toChapterHtml(
      '# Chapter One\n\nShe *ran*. **Fast.** ~~Slowly.~~\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |',
      'markdown',
    );
    assert.match(html, /<h1>Chapter One<\/h1>/);
    assert.match(html, /<p>She <em>ran<\/em>\. <strong>Fast\.<\/strong> <del>Slowly\.<\/del><\/p>/);
    assert.match(html, /<ul>\s*<li>a<\/li>\s*<li>b<\/li>\s*<\/ul>/);
    assert.match(html, /<table>[\s\S]*<th>x<\/th>[\s\S]*<td>2<\/td>[\s\S]*<\/table>/);
  });

  test('single newlines are line breaks, blank lines paragraphs', () => {
    assert.equal(toChapterHtml('one\ntwo\n\nthree', 'markdown').trim(), '<p>one<br />two</p>\n<p>three</p>');
  });

  test('raw HTML and dangerous links in markdown are sanitized', () => {
    const html = toChapterHtml(
      'Hi <script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](javascript:alert(2))\n\n<iframe src="https://e.example"></iframe>',
      'markdown',
    );
    assert.ok(!/<script|<iframe|onerror|javascript:/i.test(html), html);
    // The relative picture stays (AO3 keeps relative src), without its handler.
    assert.match(html, /<p>Hi\s+<img src="x" alt="" \/>\s+x\s*<\/p>/);
  });

  test('links get rel="nofollow noopener"', () => {
    assert.match(
      toChapterHtml('[AO3](https://archiveofourown.org)', 'markdown'),
      /<a href="https:\/\/archiveofourown\.org" rel="nofollow noopener">AO3<\/a>/,
    );
  });
});

describe('toChapterHtml: html', () => {
  test('is sanitizeWorkHtml', () => {
    assert.equal(toChapterHtml('<p onclick="x()">a</p>b', 'html'), '<p>a</p><p>b</p>');
  });
});

describe('toFieldHtml', () => {
  test('plain text: blank lines make paragraphs, single newlines line breaks', () => {
    assert.equal(
      toFieldHtml('Caroline grieves.\nStefan stays.\n\nSet after 6x07.'),
      '<p>Caroline grieves.<br />Stefan stays.</p>\n<p>Set after 6x07.</p>',
    );
  });

  test('plain text keeps < as text and its entities as entities (shown once, not escaped twice)', () => {
    assert.equal(toFieldHtml('Steroline <3 & a < b'), '<p>Steroline &lt;3 &amp; a &lt; b</p>');
    assert.equal(toFieldHtml('I typed &amp; here'), '<p>I typed &amp; here</p>');
  });

  test('limited HTML is sanitized against the same allowlist', () => {
    assert.equal(
      toFieldHtml('<b>Warning:</b> angst\n<i>lots</i> <script>alert(1)</script>'),
      '<p><b>Warning:</b> angst<br /><i>lots</i></p>',
    );
    assert.equal(toFieldHtml('<p>One</p><p style="text-align:center">Two</p>'), '<p>One</p><p style="text-align:center">Two</p>');
  });

  test('CRLF from a form textarea', () => {
    assert.equal(toFieldHtml('a\r\nb\r\n\r\nc'), '<p>a<br />b</p>\n<p>c</p>');
  });

  test('empty input gives empty HTML', () => {
    assert.equal(toFieldHtml(''), '');
    assert.equal(toFieldHtml('  \n '), '');
  });
});
