import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countWords, toChapterHtml } from './index.ts';

describe('countWords', () => {
  test('inner apostrophes and hyphens join; a dash alone is not a word', () => {
    assert.equal(countWords("Don't stop — it's well-known."), 4);
    assert.equal(countWords('rock’n’roll, mother-in-law, o’clock'), 3);
    assert.equal(countWords('one--two'), 2);
    assert.equal(countWords("'quoted' -dash- end-"), 3);
  });

  test('punctuation, symbols and emoji alone are not words', () => {
    assert.equal(countWords('" ... — !? * * * 🙂 &'), 0);
    assert.equal(countWords(''), 0);
  });

  test('markup does not count, and inline tags do not split words', () => {
    assert.equal(countWords('<p>one <em>two</em></p>'), 2);
    assert.equal(countWords('<p>one</p><p>two</p>'), 2);
    assert.equal(countWords('one<br />two'), 2);
    assert.equal(countWords('wo<em>rd</em>'), 1);
    assert.equal(countWords('<a href="https://example.com/many words here" title="not counted">link</a>'), 1);
    assert.equal(countWords('<!-- a comment --><script>var x = 1</script><style>p { }</style>text'), 1);
  });

  test('entities are decoded before counting', () => {
    assert.equal(countWords('caf&eacute; na&#xEF;ve Zo&#235; &amp; &mdash; Don&rsquo;t'), 4);
  });

  test('CJK ideographs and kana count one each; Hangul counts by spaces', () => {
    assert.equal(countWords('我爱你'), 3);
    assert.equal(countWords('こんにちは、世界！'), 7);
    assert.equal(countWords('カタカナ and 漢字'), 7);
    assert.equal(countWords('안녕하세요 세계'), 2);
  });

  test('letters of other scripts, accents and digits', () => {
    assert.equal(countWords('Привет мир, γειά σου, مرحبا بالعالم, नमस्ते दुनिया'), 8);
    assert.equal(countWords('Zoë naïve façade'), 3);
    assert.equal(countWords('In 2015, at 9:30, she paid 1,000.50 for 3 things.'), 10);
  });

  test('plain text and the HTML made from it count the same', () => {
    const text = 'She said, "Don\'t."\n\nHe left — quietly.\nThe end.';
    assert.equal(countWords(toChapterHtml(text, 'plain')), countWords(text));
    assert.equal(countWords(text), 8);
  });

  test('a 300,000-word chapter counts exactly as its paragraphs add up', () => {
    // Speed is measured by bench scripts, not asserted here (the machines are noisy).
    const paragraph =
      '<p>"I should have been here. She needed me." Caroline\'s sobs made it <em>impossible</em> for Stefan not to step close to her &mdash; and comfort her.</p>\n';
    const perParagraph = countWords(paragraph);
    const copies = Math.ceil(300_000 / perParagraph);
    const chapter = paragraph.repeat(copies);
    assert.equal(countWords(chapter), perParagraph * copies);
  });
});
