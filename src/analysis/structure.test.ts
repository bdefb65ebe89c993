import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeStructure, findParagraphs, findSentences, maskHtml, tokenize } from './structure.ts';

test('paragraphs split at blank lines, trimmed, with offsets into the text', () => {
  const text = 'First line.\nStill first.\n\n\n  Second one.  \n\nThird.';
  const paras = findParagraphs(text);
  assert.deepEqual(paras.map((p) => text.slice(p.start, p.end)), ['First line.\nStill first.', 'Second one.', 'Third.']);
});

test('without blank lines, each line is a paragraph', () => {
  const text = 'One.\nTwo.\nThree.';
  assert.equal(findParagraphs(text).length, 3);
});

test('sentences end at punctuation followed by a capital, not after Mr. or initials', () => {
  const text = 'Mr. Grey met J. Smith. They talked... for hours! "Really?" she asked. Yes.';
  const paras = findParagraphs(text);
  const { sentences } = findSentences(text, paras);
  assert.deepEqual(sentences.map((s) => text.slice(s.start, s.end)), ['Mr. Grey met J. Smith.', 'They talked... for hours!', '"Really?" she asked.', 'Yes.']);
});

test('tokens keep inner apostrophes and report offsets', () => {
  const text = "Don't stop, Anna's \u00e9lan—now!";
  const t = tokenize(text);
  const words = Array.from(t.starts, (s, i) => text.slice(s, t.ends[i]));
  assert.deepEqual(words, ["Don't", 'stop', "Anna's", '\u00e9lan', 'now']);
});

test('HTML is blanked without moving offsets', () => {
  const html = '<p>&ldquo;Hi,&rdquo; said Ann.</p><p>Bye.</p>';
  const plain = maskHtml(html);
  assert.equal(plain.length, html.length);
  const s = analyzeStructure(html);
  assert.equal(s.paragraphs.length, 2);
  assert.equal(html.slice(s.paragraphs[1]!.start, s.paragraphs[1]!.end), 'Bye.');
  assert.equal(plain.charAt(html.indexOf('&ldquo;')), '\u201c');
});
