import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NestingTooDeepError, sanitizeWorkHtml } from './index.ts';

const same = (html: string): void => assert.equal(sanitizeWorkHtml(html), html);

describe('sanitizeWorkHtml: the allowlist', () => {
  test('text formatting elements are kept as written', () => {
    same(
      '<p><em>e</em> <i>i</i> <strong>s</strong> <b>b</b> <u>u</u> <s>s</s> <strike>k</strike> <del>d</del> <ins>n</ins> x<sup>2</sup> H<sub>2</sub>O <small>sm</small> <big>bg</big></p>',
    );
    same(
      '<p><abbr title="Archive of Our Own">AO3</abbr> <acronym title="x">X</acronym> <cite>c</cite> <code>c</code> <dfn>d</dfn> <kbd>k</kbd> <q>q</q> <samp>s</samp> <tt>t</tt> <var>v</var></p>',
    );
  });

  test('block elements, lists, headings and rules are kept', () => {
    same(
      '<h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6><hr /><blockquote><p>q</p></blockquote><address>a</address><center>c</center><pre>  pre\n  formatted</pre>',
    );
    same('<ul><li>a</li></ul><ol start="3" type="i"><li value="5">b</li></ol><dl><dt>t</dt><dd>d</dd></dl>');
  });

  test('tables keep colspan/rowspan (numbers only)', () => {
    same(
      '<table><caption>c</caption><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2" rowspan="3">d</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>',
    );
    assert.equal(sanitizeWorkHtml('<table><tr><td colspan="2;x" rowspan="-1">d</td></tr></table>'), '<table><tr><td>d</td></tr></table>');
  });

  test('ruby, details/summary', () => {
    same('<p><ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby></p>');
    same('<details open><summary>Spoiler</summary><p>x</p></details>');
  });

  test('alignment: align attribute, or text-align as the only style', () => {
    same('<p align="center">c</p><div align="right">r</div><h2 align="center">h</h2>');
    assert.equal(sanitizeWorkHtml('<p align="middle">x</p>'), '<p>x</p>');
    assert.equal(sanitizeWorkHtml('<p style="TEXT-ALIGN: Center">x</p>'), '<p style="text-align:center">x</p>');
    assert.equal(
      sanitizeWorkHtml('<div style="text-align: justify; color: red; font-size: 40px">x</div>'),
      '<div style="text-align:justify">x</div>',
    );
    assert.equal(sanitizeWorkHtml('<p style="color: red">x</p>'), '<p>x</p>');
    assert.equal(sanitizeWorkHtml('<p style="text-align: start">x</p>'), '<p>x</p>');
    assert.equal(sanitizeWorkHtml('<em style="text-align:center">x</em>'), '<p><em>x</em></p>');
  });

  test('links: http, https, mailto, relative and fragment; rel added; target dropped', () => {
    assert.equal(
      sanitizeWorkHtml('<a href="https://archiveofourown.org/works/1" target="_blank" rel="opener">w</a>'),
      '<p><a href="https://archiveofourown.org/works/1" rel="nofollow noopener">w</a></p>',
    );
    for (const href of ['http://e.example/', 'mailto:author@example.com', '/works/2', '../chapters/3', '#fn1', '?view_full_work=true']) {
      assert.equal(sanitizeWorkHtml(`<a href="${href}">x</a>`), `<p><a href="${href}" rel="nofollow noopener">x</a></p>`);
    }
    for (const href of ['ftp://e.example/', 'tel:123', 'file:///etc/passwd', 'data:text/plain,hi']) {
      assert.equal(sanitizeWorkHtml(`<a href="${href}">x</a>`), '<p>x</p>', href);
    }
  });

  test('footnote anchors by name or id', () => {
    same('<p><a href="#_ftnref1" rel="nofollow noopener" name="_ftn1">[1]</a> <a id="note-2">2</a></p>');
    assert.equal(sanitizeWorkHtml('<a name="has space">x</a>'), '<p>x</p>');
  });

  test('images: http(s) or relative src (as AO3); alt, width, height', () => {
    same('<p><img src="https://i.example/a.png" alt="Fanart" width="400" height="50%" /></p>');
    assert.equal(sanitizeWorkHtml('<img src="https://i.example/a.png">'), '<p><img src="https://i.example/a.png" alt="" /></p>');
    assert.equal(sanitizeWorkHtml('<img src="/uploads/a.png" alt="a">'), '<p><img src="/uploads/a.png" alt="a" /></p>');
    assert.equal(sanitizeWorkHtml('<img src="ftp://e.example/a.png" alt="a">'), '');
    assert.equal(
      sanitizeWorkHtml('<img src="https://i.example/a.png" width="100px;x" alt="">'),
      '<p><img src="https://i.example/a.png" alt="" /></p>',
    );
  });

  test('class is kept for work skins; data-*, id off <a> and unknown tags go (their text stays)', () => {
    assert.equal(sanitizeWorkHtml('<p class="note" data-x="1" id="p1">a</p>'), '<p class="note">a</p>');
    assert.equal(sanitizeWorkHtml('<font color="red">red</font> <section>s</section>'), '<p>red s</p>');
  });

  test('lang and dir are kept on any element, dir only with valid values', () => {
    same('<p lang="fr" dir="ltr">Bonjour</p><p dir="rtl">שלום</p>');
    assert.equal(sanitizeWorkHtml('<p dir="sideways">x</p>'), '<p>x</p>');
    assert.equal(sanitizeWorkHtml('<p lang="en-GB">x</p><p lang="not a language">y</p>'), '<p lang="en-GB">x</p><p>y</p>');
  });

  test('entities are normalized, non-ASCII kept as characters', () => {
    assert.equal(sanitizeWorkHtml('<p>caf&eacute; &amp; &#8212; &lt;3 &nbsp;</p>'), '<p>café &amp; — &lt;3 \u00a0</p>');
  });

  test('unclosed tags are closed', () => {
    assert.equal(sanitizeWorkHtml('<p><em>never closed'), '<p><em>never closed</em></p>');
  });

  test('deep nesting is flattened past 100 levels, text kept', () => {
    const deep = '<span>'.repeat(150) + 'deep' + '</span>'.repeat(150);
    const out = sanitizeWorkHtml(deep);
    assert.ok((out.match(/<span>/g) ?? []).length <= 100);
    assert.match(out, /deep/);
  });

  test('nesting past MAX_NESTING is refused before parsing, with a message for the author', () => {
    const deep = '<span>'.repeat(500) + 'deep' + '</span>'.repeat(500);
    assert.throws(
      () => sanitizeWorkHtml(deep),
      (error: unknown) => {
        assert.ok(error instanceof NestingTooDeepError);
        assert.equal(error.depth, 500);
        assert.equal(
          error.message,
          'This text nests formatting 500 levels deep; the archive accepts at most 200. Remove the extra nesting and try again.',
        );
        return true;
      },
    );
  });
});

describe('sanitizeWorkHtml: paragraphs for bare text', () => {
  test('a blank line separates paragraphs, a single newline is a line break', () => {
    assert.equal(
      sanitizeWorkHtml('First line\nsecond line\n\nNext paragraph'),
      '<p>First line<br />second line</p>\n<p>Next paragraph</p>',
    );
  });

  test('several blank lines, CRLF and spaces around them', () => {
    assert.equal(sanitizeWorkHtml('a  \r\n \r\n\r\n\r\n  b\r\nc'), '<p>a</p>\n<p>b<br />c</p>');
  });

  test('inline elements stay inside the paragraph they are in', () => {
    assert.equal(
      sanitizeWorkHtml('She <em>ran</em>.\n\n<strong>Fast</strong>, he said.'),
      '<p>She <em>ran</em>.</p>\n<p><strong>Fast</strong>, he said.</p>',
    );
  });

  test('a blank line inside an inline element ends the paragraph; the element opens again in the next', () => {
    assert.equal(sanitizeWorkHtml('<em>one\n\ntwo</em> three'), '<p><em>one</em></p>\n<p><em>two</em> three</p>');
  });

  test('bare text between blocks is wrapped; the blocks are untouched', () => {
    assert.equal(
      sanitizeWorkHtml('<h2>One</h2>\nText after.\n<p>Para\nwith newline</p>\ntail'),
      '<h2>One</h2>\n<p>Text after.</p>\n<p>Para\nwith newline</p>\n<p>tail</p>',
    );
  });

  test('already paragraphed HTML is unchanged', () => {
    same('<p>One</p>\n<p>Two</p>\n<blockquote><p>Three</p></blockquote>');
  });

  test('blockquote and div text with line breaks gets paragraphs; single-line text does not', () => {
    assert.equal(
      sanitizeWorkHtml('<blockquote>Dear Stefan,\n\nI am sorry.\nCaroline</blockquote>'),
      '<blockquote><p>Dear Stefan,</p>\n<p>I am sorry.<br />Caroline</p></blockquote>',
    );
    same('<div align="center">* * *</div>');
    same('<blockquote>One line</blockquote>');
  });

  test('no paragraphs added inside lists, tables or pre', () => {
    same('<ul><li>a\nb</li></ul><table><tr><td>c\n\nd</td></tr></table><pre>e\n\nf</pre>');
  });

  test('an inline element holding a block is left as a block', () => {
    same('<span><p>x</p></span>');
  });

  test('newlines inside attribute values are not turned into <br />', () => {
    assert.equal(sanitizeWorkHtml('<abbr title="line\nbreak">x</abbr>\ny'), '<p><abbr title="line\nbreak">x</abbr><br />y</p>');
  });

  test('a lone image or line break at top level is wrapped too', () => {
    assert.equal(sanitizeWorkHtml('<img src="https://i.example/a.png" alt="a">'), '<p><img src="https://i.example/a.png" alt="a" /></p>');
  });

  test('empty and whitespace-only input give empty HTML', () => {
    assert.equal(sanitizeWorkHtml(''), '');
    assert.equal(sanitizeWorkHtml(' \n\n \t'), '');
    assert.equal(sanitizeWorkHtml('<script>x</script>'), '');
  });

  test('no-break spaces are content, not whitespace to trim', () => {
    assert.equal(sanitizeWorkHtml('&nbsp;&nbsp;Indented'), '<p>\u00a0\u00a0Indented</p>');
  });

  test('sanitizing twice changes nothing', () => {
    const samples = [
      'a\nb\n\nc <em>d\n\ne</em>',
      '<blockquote>x\ny</blockquote>\n\nz',
      '<div>one\n\n<p>two</p>three\nfour</div>',
      '<p>ok</p>bare<h1>h</h1>',
    ];
    for (const s of samples) {
      const once = sanitizeWorkHtml(s);
      assert.equal(sanitizeWorkHtml(once), once, s);
    }
  });
});
