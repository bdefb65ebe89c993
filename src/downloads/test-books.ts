// Books for the download tests and the benchmark: the founding story, a long work, one with every
// allowed element, one whose title and tags need escaping.
import { readFoundingStory } from '../../test/factories.ts';
import { toChapterHtml, countWords } from '../works/text/index.ts';
import type { Book, BookChapter } from './epub/index.ts';

function chapter(position: number, title: string, bodyHtml: string, extra: Partial<BookChapter> = {}): BookChapter {
  return {
    title,
    heading: title ? `Chapter ${position}: ${title}` : `Chapter ${position}`,
    summaryHtml: '',
    notesHtml: '',
    endNotesHtml: '',
    bodyHtml,
    words: countWords(bodyHtml),
    ...extra,
  };
}

export function baseBook(overrides: Partial<Book> = {}): Book {
  const chapters = overrides.chapters ?? [chapter(1, '', '<p>Text.</p>')];
  return {
    id: 1,
    title: 'A Book',
    url: 'http://archive.test/works/1',
    siteName: 'Fanfold',
    siteUrl: 'http://archive.test',
    language: 'en',
    creators: [{ name: 'author', url: 'http://archive.test/users/author' }],
    summaryHtml: '<p>A summary.</p>',
    notesHtml: '',
    endNotesHtml: '',
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: ['Test Fandom'],
    relationships: [],
    characters: ['Alice'],
    freeforms: ['Fluff'],
    series: [],
    published: new Date('2024-03-01T12:00:00Z'),
    updated: new Date('2024-03-05T12:00:00Z'),
    words: chapters.reduce((n, c) => n + c.words, 0),
    chaptersLabel: `${chapters.length}/${chapters.length}`,
    complete: true,
    chapters,
    ...overrides,
  };
}

export function foundingBook(): Book {
  const body = toChapterHtml(readFoundingStory(), 'plain');
  return baseBook({
    id: 7,
    url: 'http://archive.test/works/7',
    title: 'Founding Story',
    rating: 'Mature',
    warnings: ['Major Character Death'],
    categories: ['F/M'],
    fandoms: ['The Vampire Diaries (TV)'],
    relationships: ['Caroline Forbes/Stefan Salvatore'],
    characters: ['Caroline Forbes', 'Stefan Salvatore'],
    freeforms: ['Grief'],
    notesHtml: '<p>The story the archive was founded on.</p>',
    chapters: [chapter(1, '', body, { notesHtml: '<p>A chapter note.</p>', endNotesHtml: '<p>Thanks for reading.</p>' })],
  });
}

/** `count` chapters of `wordsPerChapter` words each, in paragraphs of about 100 words. */
export function longBook(count: number, wordsPerChapter: number): Book {
  const words = 'the night was quiet and she walked along the river thinking of everything he had said'.split(' ');
  const chapters: BookChapter[] = [];
  for (let c = 0; c < count; c++) {
    const paragraphs: string[] = [];
    for (let w = 0; w < wordsPerChapter; w += 100) {
      const n = Math.min(100, wordsPerChapter - w);
      paragraphs.push(`<p>${Array.from({ length: n }, (_, i) => words[(i + c + w) % words.length]).join(' ')}.</p>`);
    }
    chapters.push(
      chapter(c + 1, `Part ${c + 1}`, paragraphs.join('\n'), c % 5 === 0 ? { notesHtml: `<p>Notes for part ${c + 1}.</p>` } : {}),
    );
  }
  return baseBook({ title: `A Long Work of ${count} Chapters`, chapters, chaptersLabel: `${count}/?`, complete: false });
}

/** Uses every element the sanitizer allows, with the attributes it keeps, as stored. */
export const EVERY_ELEMENT_HTML = toChapterHtml(
  `<p align="center" title="t" lang="fr" dir="ltr">Centred &amp; <em>em</em> <i>i</i> <strong>strong</strong> <b>b</b> <u>u</u> <s>s</s>
<strike>strike</strike> <del>del</del> <ins>ins</ins> x<sup>2</sup> H<sub>2</sub>O <small>small</small> <big>big</big>
<abbr title="abbreviation">abbr</abbr> <acronym title="acronym">acr</acronym> <cite>cite</cite> <code>code</code> <dfn>dfn</dfn>
<kbd>kbd</kbd> <q cite="https://example.org/q">q</q> <samp>samp</samp> <tt>tt</tt> <var>var</var> <span style="text-align: right">span</span>
a&nbsp;b<br>line <a href="https://example.org/">link</a> <a href="/works/2">relative</a> <a href="#fn1">[1]</a> <a href="#missing">gone</a>
<img src="https://example.org/pic.png" alt="A picture" width="10" height="10"></p>
<div align="right">div</div>
<h1>h1</h1><h2>h2</h2><h3 align="center">h3</h3><h4>h4</h4><h5>h5</h5><h6>h6</h6>
<hr>
<blockquote cite="https://example.org/"><p>quote</p></blockquote>
<address>address</address>
<center>center</center>
<pre>pre  formatted
  text</pre>
<ul><li>one</li><li>two</li></ul>
<ol start="3" reversed type="a"><li value="5">ol</li></ol>
<dl><dt>term</dt><dd>definition</dd></dl>
<table summary="s" align="center"><caption>caption</caption><colgroup span="2"><col span="1"><col></colgroup>
<thead><tr><th scope="col" colspan="2">head</th></tr></thead>
<tbody><tr><td rowspan="1" align="left">a</td><td>b</td></tr></tbody>
<tfoot><tr><td>f</td><td>g</td></tr></tfoot></table>
<p><ruby>漢<rb>字</rb><rp>(</rp><rt>kanji</rt><rp>)</rp></ruby></p>
<details open><summary>summary</summary><p>details</p></details>
<p><a name="fn1" id="fn1">1.</a> A footnote. <a id="fn1">duplicate id</a></p>
<figure class="fanart"><img src="https://example.org/art.png" alt="Fan art" align="left" border="1"><figcaption class="credit">Art by a friend</figcaption></figure>
<p class="text-message sent">A skinned paragraph</p>
<table width="80%" border="1"><colgroup width="40"><col width="25%"></colgroup><tr><th width="30" abbr="N" axis="a">N</th><td width="70%" height="20" abbr="x">v</td></tr></table>
<hr width="50%" align="left">
<ul type="square"><li>squared</li></ul>
<p>The vid: <iframe src="https://www.youtube.com/embed/abc" title="Storm vid" width="560" height="315"></iframe></p>
<audio src="https://archive.org/download/podfic/ch1.mp3" title="Chapter 1 podfic">Listen</audio>
<video><source src="https://archive.org/v.webm" type="video/webm"><track src="https://archive.org/v.vtt" kind="captions" srclang="en">x</video>
<embed src="https://archiveofourown.org/player.swf" type="application/x-shockwave-flash">`,
  'html',
);

export function everyElementBook(): Book {
  return baseBook({
    title: 'Every Element',
    chapters: [chapter(1, 'All of them', EVERY_ELEMENT_HTML, { notesHtml: '<p>Notes with <a href="#fn1">a link</a>.</p>' })],
  });
}

export function escapingBook(): Book {
  return baseBook({
    title: `Tom & Jerry's <Great> "Escape" — café ☕ 日本語 𝔘`,
    creators: [{ name: "O'Brien & <Co>", url: 'http://archive.test/users/obrien' }, { name: 'Zoë "Z"' }],
    fandoms: ['Tom & Jerry', 'Ça <marche>'],
    relationships: ['Tom/Jerry', 'Tom & Jerry'],
    characters: ['Jérôme "J" O\'Neil'],
    freeforms: ['<3', 'a > b', '日本語のタグ'],
    summaryHtml: '<p>Cats &amp; mice &lt;3 — “quotes”</p>',
    series: [{ title: 'Cats & Mice <Saga>', index: 2, url: 'http://archive.test/series/1' }],
    chapters: [chapter(1, 'Ch & <1>', '<p>Text &amp; &lt;more&gt; &quot;quoted&quot; &#39;single&#39; \u00a0 emoji 🐭</p>')],
  });
}
