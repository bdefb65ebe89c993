import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeStructure, findParagraphs, findSentences, isHeading, isSpace, lowerForMatching, maskHtml, tokenize } from './structure.ts';

test('paragraphs split at blank lines, trimmed, with offsets into the text', () => {
  const text = 'First line.\nStill first.\n\n\n  Second one.  \n\nThird.';
  const paras = findParagraphs(text);
  assert.deepEqual(
    paras.map((p) => text.slice(p.start, p.end)),
    ['First line.\nStill first.', 'Second one.', 'Third.'],
  );
});

test('without blank lines, each line is a paragraph', () => {
  const text = 'One.\nTwo.\nThree.';
  assert.equal(findParagraphs(text).length, 3);
});

test('sentences end at punctuation followed by a capital, not after Mr. or initials', () => {
  const text = 'Mr. Grey met J. Smith. They talked... for hours! "Really?" she asked. Yes.';
  const paras = findParagraphs(text);
  const { sentences } = findSentences(text, paras);
  assert.deepEqual(
    sentences.map((s) => text.slice(s.start, s.end)),
    ['Mr. Grey met J. Smith.', 'They talked... for hours!', '"Really?" she asked.', 'Yes.'],
  );
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

test('every line-break convention and Unicode separator splits paragraphs', () => {
  const lines = ['One.', 'Two.', 'Three.'];
  for (const br of ['\n', '\r\n', '\r', '\u2028']) {
    assert.deepEqual(findParagraphs(lines.join(br)).length, 3, `lines joined by ${JSON.stringify(br)}`);
    // a blank line of any whitespace separates paragraphs; a single break then only wraps a line
    const text = `One.${br}still one.${br}\u3000\u00a0\t${br}Two.`;
    assert.deepEqual(
      findParagraphs(text).map((p) => text.slice(p.start, p.end)),
      [`One.${br}still one.`, 'Two.'],
      `blank line with ${JSON.stringify(br)}`,
    );
  }
  assert.equal(findParagraphs('One.\u2029Two.\nstill two.').length, 2); // U+2029 separates paragraphs on its own
});

test('isSpace agrees with \\s on every code unit', () => {
  for (let c = 0; c <= 0xffff; c++) assert.equal(isSpace(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
});

test('a long run of marks or an unclosed tag costs no more than its length', () => {
  // each of these was once searched from every one of its characters to the end of the text
  const marks = 'Ann said' + '!?'.repeat(50_000) + 'x';
  assert.equal(findSentences(marks, findParagraphs(marks)).sentences.length, 1);
  const tags = '<p>Ann ran.</p>' + '<em class="a" '.repeat(10_000);
  assert.equal(maskHtml(tags).length, tags.length);
});

test('the matching text keeps every offset: one code unit for each, whitespace made plain spaces', () => {
  const text = '\u0130stanbul\u00a0is\r\nfar.\tYes';
  const lower = lowerForMatching(text);
  assert.equal(lower.length, text.length);
  assert.equal(lower, 'istanbul is  far. yes');
});

test('headings: numbered chapters and short title-case lines, never a sentence or a quotation', () => {
  const heading = (line: string): boolean => isHeading(line, { start: 0, end: line.length });
  assert.ok(heading('CHAPTER 61. Stubb Kills a Whale.'));
  assert.ok(heading('Chapter Two'));
  assert.ok(heading('Book II'));
  assert.ok(heading('The Prisoner of Zenda'));
  assert.ok(!heading('Stubb kills a whale.'));
  assert.ok(!heading('"Stop Him Now!"'));
  assert.ok(!heading('Stefan'));
  assert.ok(!heading(`${'Long Title '.repeat(12)}`));
});
