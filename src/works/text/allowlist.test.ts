// What AO3 keeps, as cases of our own: each states its input and what must come out of both
// sanitizers (work text; comments, summaries and notes), and what must not. docs/sanitizer.md
// compares the two allowlists element by element.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sanitizeFieldHtml, sanitizeWorkHtml } from './index.ts';
import { toFieldHtml } from './convert.ts';

interface Case {
  /** What the case shows. */
  name: string;
  input: string;
  /** The exact work-text output. */
  work: string;
  /** The exact comment/summary/notes output. */
  field: string;
  /** Patterns that must appear in neither output. */
  never?: RegExp[];
}

const CASES: Case[] = [
  // ---- elements and attributes AO3 keeps ----------------------------------------------------
  {
    name: 'figure and figcaption around a picture',
    input: '<figure class="fanart"><img src="https://art.example/a.png" alt="Two knights"><figcaption>By a friend</figcaption></figure>',
    work: '<figure class="fanart"><img src="https://art.example/a.png" alt="Two knights" /><figcaption>By a friend</figcaption></figure>',
    field: '<figure><img src="https://art.example/a.png" alt="Two knights" /><figcaption>By a friend</figcaption></figure>',
  },
  {
    name: 'class: work-skin names kept (work text only), names that are not identifiers dropped, repeats once',
    input: '<p class="text-message sent 1st &quot;x sent">Hey</p>',
    work: '<p class="text-message sent">Hey</p>',
    field: '<p>Hey</p>',
    never: [/1st/, /&quot;x/],
  },
  {
    name: 'align on block and list elements, captions and rules',
    input:
      '<blockquote align="right"><p>q</p></blockquote><ul align="center"><li align="left">a</li></ul><table align="center"><caption align="right">c</caption><tr><td>d</td></tr></table><hr align="left">',
    work: '<blockquote align="right"><p>q</p></blockquote><ul align="center"><li align="left">a</li></ul><table align="center"><caption align="right">c</caption><tr><td>d</td></tr></table><hr align="left" />',
    field:
      '<blockquote align="right"><p>q</p></blockquote><ul align="center"><li align="left">a</li></ul><table align="center"><caption align="right">c</caption><tr><td>d</td></tr></table><hr align="left" />',
  },
  {
    name: 'align values outside the list go; img has its own (top, middle, bottom, left, right)',
    input:
      '<p align="middle">a</p><img src="https://i.example/b.png" alt="" align="middle"><img src="https://i.example/c.png" alt="" align="justify">',
    work: '<p>a</p><p><img src="https://i.example/b.png" alt="" align="middle" /><img src="https://i.example/c.png" alt="" /></p>',
    field: '<p>a</p><p><img src="https://i.example/b.png" alt="" align="middle" /><img src="https://i.example/c.png" alt="" /></p>',
  },
  {
    name: 'width and border on tables, cells, columns and rules; numbers and percentages only',
    input:
      '<table width="90%" border="1"><colgroup span="2" width="40"><col width="25%"></colgroup><tr><th width="30" height="2" abbr="Nm" axis="who" scope="col">Name</th><td width="70%" height="x">Ann</td></tr></table><hr width="50%"><table border="thick" width="100px"><tr><td>t</td></tr></table>',
    work: '<table width="90%" border="1"><colgroup span="2" width="40"><col width="25%"></colgroup><tr><th width="30" height="2" abbr="Nm" axis="who" scope="col">Name</th><td width="70%">Ann</td></tr></table><hr width="50%" /><table><tr><td>t</td></tr></table>',
    field:
      '<table width="90%" border="1"><colgroup span="2" width="40"><col width="25%"></colgroup><tr><th width="30" height="2" abbr="Nm" axis="who" scope="col">Name</th><td width="70%">Ann</td></tr></table><hr width="50%" /><table><tr><td>t</td></tr></table>',
    never: [/thick/, /100px/, /height="x"/],
  },
  {
    name: 'type on ul (disc, circle, square) and on ol (1 a A i I)',
    input: '<ul type="Square"><li>a</li></ul><ul type="star"><li>b</li></ul><ol type="I"><li>c</li></ol><ol type="x"><li>d</li></ol>',
    work: '<ul type="square"><li>a</li></ul><ul><li>b</li></ul><ol type="I"><li>c</li></ol><ol><li>d</li></ol>',
    field: '<ul type="square"><li>a</li></ul><ul><li>b</li></ul><ol type="I"><li>c</li></ol><ol><li>d</li></ol>',
  },
  {
    name: 'img: align, border, dir, lang and a relative src kept; other schemes go with the picture',
    input:
      '<img src="/images/map.png" alt="Map" align="right" border="2" dir="rtl" lang="he"><img src="data:image/png;base64,AAAA" alt="d"><img src="javascript:alert(1)" alt="j"><img src="https://i.example/x.png" alt="" border="wide">',
    work: '<p><img src="/images/map.png" alt="Map" align="right" border="2" dir="rtl" lang="he" /><img src="https://i.example/x.png" alt="" /></p>',
    field:
      '<p><img src="/images/map.png" alt="Map" align="right" border="2" dir="rtl" lang="he" /><img src="https://i.example/x.png" alt="" /></p>',
    never: [/data:/, /javascript:/, /wide/],
  },

  // ---- players ------------------------------------------------------------------------------
  {
    name: 'an iframe from a listed host: kept over https, its sizes and title; handlers, srcdoc and content go',
    input:
      '<iframe src="http://www.youtube.com/embed/abc?start=5" width="560" height="315" frameborder="0" allowfullscreen="true" title="Vid" onload="x()" srcdoc="<b>x</b>" allow="camera">fallback <b>text</b></iframe>',
    work: '<p><iframe src="https://www.youtube.com/embed/abc?start=5" width="560" height="315" frameborder="0" allowfullscreen title="Vid"></iframe></p>',
    field: '',
    never: [/onload/, /srcdoc/, /allow=/, /fallback/, /http:/],
  },
  {
    name: 'a protocol-relative iframe becomes https; hosts are matched whole, www. allowed',
    input: '<iframe src="//player.vimeo.com/video/7"></iframe><iframe src="https://player.vimeo.com.evil.example/video/7"></iframe>',
    work: '<p><iframe src="https://player.vimeo.com/video/7"></iframe></p>',
    field: '',
    never: [/evil/],
  },
  {
    name: 'an iframe from any other host, with a port, or with credentials goes, with its content',
    input:
      '<iframe src="https://evil.example/x">a</iframe><iframe src="https://www.youtube.com:444/embed/x">b</iframe><iframe src="https://u:p@www.youtube.com/embed/x">c</iframe>after',
    work: '<p>after</p>',
    field: '<p>after</p>',
    never: [/iframe/, /evil/],
  },
  {
    name: 'embed from a listed host: https, type and size kept; flash variables and script access go',
    input:
      '<embed src="http://archiveofourown.org/player.swf" type="application/x-shockwave-flash" width="400" height="27" flashvars="mp3=x" allowscriptaccess="always"><embed src="https://evil.example/x.swf">',
    work: '<p><embed src="https://archiveofourown.org/player.swf" type="application/x-shockwave-flash" width="400" height="27" /></p>',
    field: '',
    never: [/flashvars/, /allowscriptaccess/, /evil/],
  },
  {
    name: 'audio from a listed host gets controls; autoplay and cross-origin requests go',
    input:
      '<audio src="http://archive.org/download/podfic/ch1.mp3" autoplay preload="auto" crossorigin="use-credentials" loop>Listen on archive.org</audio>',
    work: '<p><audio preload="auto" loop controls src="https://archive.org/download/podfic/ch1.mp3">Listen on archive.org</audio></p>',
    field: '',
    never: [/autoplay/, /crossorigin/],
  },
  {
    name: 'video with sources and a track: listed sources kept, others go; a poster only from a listed host',
    input:
      '<video width="640" height="360" poster="https://tracker.example/p.png"><source src="https://archive.org/v.webm" type="video/webm"><source src="https://evil.example/v.mp4" type="video/mp4"><track src="https://archive.org/v.vtt" kind="captions" srclang="en" label="English" default>No video</video>',
    work: '<p><video width="640" height="360" controls><source src="https://archive.org/v.webm" type="video/webm" /><track src="https://archive.org/v.vtt" kind="captions" srclang="en" label="English" default />No video</video></p>',
    field: '',
    never: [/tracker/, /evil/],
  },
  {
    name: 'a player with nothing listed to play keeps only its fallback text; stray sources and tracks go',
    input:
      '<video><source src="https://evil.example/v.mp4"><track src="https://archive.org/v.vtt">Watch it elsewhere</video><source src="https://archive.org/a.mp3"><track src="https://archive.org/t.vtt">',
    work: '<p>Watch it elsewhere</p>',
    field: '',
    never: [/<video|<source|<track/],
  },

  // ---- paragraphs ---------------------------------------------------------------------------
  {
    name: 'an inline element spanning blank lines is split into paragraphs, opened again in each',
    input: '<i>Dear John,\n\nI write.\n\nLove,\nM</i>',
    work: '<p><i>Dear John,</i></p>\n<p><i>I write.</i></p>\n<p><i>Love,<br />M</i></p>',
    field: '<p><i>Dear John,</i></p>\n<p><i>I write.</i></p>\n<p><i>Love,<br />M</i></p>',
  },
  {
    name: 'two <br>s in a row end a paragraph',
    input: 'some<br/><br/>text',
    work: '<p>some</p>\n<p>text</p>',
    field: '<p>some</p>\n<p>text</p>',
  },
  {
    name: 'three <br>s with spaces and newlines between are one paragraph break; one <br> stays a line break',
    input: 'one<br>\n  <br>\n<br>two<br>three',
    work: '<p>one</p>\n<p>two<br />three</p>',
    field: '<p>one</p>\n<p>two<br />three</p>',
  },
  {
    name: 'nested inline elements are opened again with their attributes; an anchor name stays in the first paragraph only',
    input: '<b><span lang="fr"><a href="#n1" name="t1">un\n\ndeux</a></span></b> trois',
    work: '<p><b><span lang="fr"><a href="#n1" rel="nofollow noopener" name="t1">un</a></span></b></p>\n<p><b><span lang="fr"><a href="#n1" rel="nofollow noopener">deux</a></span></b> trois</p>',
    field:
      '<p><b><span lang="fr"><a href="#n1" rel="nofollow noopener" name="t1">un</a></span></b></p>\n<p><b><span lang="fr"><a href="#n1" rel="nofollow noopener">deux</a></span></b> trois</p>',
  },
  {
    name: 'two <br>s inside an inline element split it too',
    input: '<em>first<br><br>second</em>',
    work: '<p><em>first</em></p>\n<p><em>second</em></p>',
    field: '<p><em>first</em></p>\n<p><em>second</em></p>',
  },
  {
    name: 'inside a container, two <br>s make paragraphs of its text',
    input: '<div align="center">a<br><br>b</div>',
    work: '<div align="center"><p>a</p>\n<p>b</p></div>',
    field: '<div align="center"><p>a</p>\n<p>b</p></div>',
  },
  {
    name: 'a blank line inside an element that cannot be split (ruby) stays line breaks',
    input: '<ruby>漢\n\n字<rt>kanji</rt></ruby>',
    work: '<p><ruby>漢<br /><br />字<rt>kanji</rt></ruby></p>',
    field: '<p><ruby>漢<br /><br />字<rt>kanji</rt></ruby></p>',
  },
  {
    name: 'a paragraph break at an element’s very start leaves no empty paragraph',
    input: '<i>\n\nHello</i>',
    work: '<p><i>Hello</i></p>',
    field: '<p><i>Hello</i></p>',
  },
];

describe('the allowlist as AO3 has it, for work text and for fields', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const work = sanitizeWorkHtml(c.input);
      const field = sanitizeFieldHtml(c.input);
      assert.equal(work, c.work, `work text for ${c.input}`);
      assert.equal(field, c.field, `fields for ${c.input}`);
      for (const pattern of c.never ?? []) {
        assert.doesNotMatch(work, pattern);
        assert.doesNotMatch(field, pattern);
      }
      // The output is a fixed point: saving a chapter again (the edit form shows the stored HTML) changes nothing.
      assert.equal(sanitizeWorkHtml(work), work);
      assert.equal(sanitizeFieldHtml(field), field);
    });
  }
});

describe('fields: text without tags is HTML as AO3 reads it', () => {
  test('an entity shows as its character, once: &amp; is stored as &amp; (shown &), never &amp;amp;', () => {
    assert.equal(toFieldHtml('Tom &amp; Jerry'), '<p>Tom &amp; Jerry</p>');
    assert.equal(toFieldHtml('caf&eacute; &#8212; &quot;hi&quot;'), '<p>café — "hi"</p>');
    assert.doesNotMatch(toFieldHtml('Tom &amp; Jerry &lt;3'), /&amp;amp;|&amp;lt;/);
  });

  test('a bare & and < stay text', () => {
    assert.equal(toFieldHtml('AT&T <3 a < b'), '<p>AT&amp;T &lt;3 a &lt; b</p>');
  });

  test('an escaped tag stays text, never markup', () => {
    assert.equal(toFieldHtml('&lt;script&gt;alert(1)&lt;/script&gt;'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    assert.equal(toFieldHtml('&lt;b&gt;not bold'), '<p>&lt;b&gt;not bold</p>');
  });
});

describe('an explicit host list', () => {
  test('sanitizeWorkHtml keeps players from the hosts it is given, and only them', () => {
    const input = '<iframe src="https://vids.example/e/1"></iframe><iframe src="https://www.youtube.com/embed/2"></iframe>';
    assert.equal(sanitizeWorkHtml(input, { embedHosts: ['vids.example'] }), '<p><iframe src="https://vids.example/e/1"></iframe></p>');
    assert.equal(sanitizeWorkHtml(input, { embedHosts: [] }), '');
  });
});
