import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { htmlToText, sanitizeWorkHtml, toChapterHtml } from './index.ts';

describe('htmlToText', () => {
  test('paragraphs are separated by blank lines, <br /> is a newline', () => {
    assert.equal(htmlToText('<p>One.</p>\n<p>Two<br />lines.</p>'), 'One.\n\nTwo\nlines.');
  });

  test('entities are decoded', () => {
    assert.equal(
      htmlToText('<p>AT&amp;T &lt;3 caf&eacute; &#8212; &#x2019; &quot;q&quot; &unknown;</p>'),
      'AT&T <3 café — ’ "q" &unknown;',
    );
  });

  test('inline markup disappears without splitting words', () => {
    assert.equal(htmlToText('<p>wo<em>rd</em> <a href="#x" rel="nofollow noopener">link</a></p>'), 'word link');
  });

  test('source newlines inside a paragraph are spaces, as a browser shows them', () => {
    assert.equal(htmlToText('<p>\n  One\n  two\n</p>'), 'One two');
  });

  test('spaces typed by the author are kept', () => {
    assert.equal(htmlToText('<p>  indented,  twice</p>'), '  indented,  twice');
  });

  test('headings, lists, blockquotes and divs are paragraphs; empty blocks vanish', () => {
    assert.equal(
      htmlToText('<h2>Title</h2><ul><li>a</li><li>b</li></ul><blockquote><p>q</p></blockquote><div>d</div><p></p><p>&nbsp;</p><hr />'),
      'Title\n\na\n\nb\n\nq\n\nd',
    );
  });

  test('table cells are separated by tabs, rows are paragraphs', () => {
    assert.equal(htmlToText('<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>'), 'a\tb\n\n1\t2');
  });

  test('<pre> keeps its line breaks and spaces', () => {
    assert.equal(htmlToText('<pre>  one\n    two</pre>'), '  one\n    two');
  });

  test('images give their alt text; scripts, styles and comments give nothing', () => {
    assert.equal(
      htmlToText(
        '<p>A <img src="https://i.example/a.png" alt="drawing &amp; sketch" /> here</p><!-- c --><script>x()</script><style>p{}</style>',
      ),
      'A drawing & sketch here',
    );
  });

  test('bare text and stray < in unsanitized input', () => {
    assert.equal(htmlToText('a < b and c > d'), 'a < b and c > d');
  });

  test('round trip: plain text -> chapter HTML -> text gives the lines back', () => {
    const text = 'Line one.\n\n\tLine two, "quoted" <tag> & more.\nLine three — 漢字.';
    assert.equal(htmlToText(toChapterHtml(text, 'plain')), 'Line one.\n\n\tLine two, "quoted" <tag> & more.\n\nLine three — 漢字.');
  });

  test('round trip through the sanitizer for pasted text', () => {
    assert.equal(htmlToText(sanitizeWorkHtml('One\ntwo\n\nthree')), 'One\ntwo\n\nthree');
  });
});
