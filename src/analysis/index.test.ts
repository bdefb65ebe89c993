import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from './index.ts';
import { toAnalysisJson } from './report.ts';

test('quote offsets index the input, HTML included', () => {
  const html = '<p>&ldquo;Stay,&rdquo; said Lily.</p>\n<p>Sam stayed.</p>';
  const a = analyzeText(html);
  assert.equal(a.quotes.length, 1);
  const q = a.quotes[0]!;
  assert.equal(html.slice(q.start, q.end), '&ldquo;Stay,&rdquo;');
  assert.equal(q.speaker, 'Lily');
});

test('the JSON report has the documented shape', () => {
  const j = toAnalysisJson(analyzeText('"Hi," said Lily. Sam smiled.\n\n"Hello," Sam said.'));
  assert.deepEqual(Object.keys(j).sort(), [
    'arc',
    'characters',
    'language',
    'quotes',
    'rating',
    'relationships',
    'scenes',
    'turningPoints',
    'warnings',
    'words',
  ]);
  assert.deepEqual(Object.keys(j.characters[0]!).sort(), ['aliases', 'confidence', 'gender', 'mentions', 'name', 'role']);
  assert.deepEqual(Object.keys(j.quotes[0]!).sort(), ['addressee', 'confidence', 'end', 'speaker', 'start', 'text']);
  assert.doesNotThrow(() => JSON.stringify(j));
});

test('empty and whitespace-only texts are fine', () => {
  for (const t of ['', '   \n\n  ']) {
    const a = analyzeText(t);
    assert.equal(a.quotes.length, 0);
    assert.equal(a.characters.length, 0);
    assert.equal(a.rating.value, 'General Audiences');
  }
});

test('Windows line endings and non-ASCII names change nothing', () => {
  const text = '"Hi," said Zo\u00eb.\n\n"Bye," said \u0141ukasz. Zo\u00eb waved.\n\n"Again?" asked Zo\u00eb.';
  const unix = analyzeText(text);
  const windows = analyzeText(text.replace(/\n/g, '\r\n'));
  assert.deepEqual(
    unix.quotes.map((q) => q.speaker),
    ['Zo\u00eb', '\u0141ukasz', 'Zo\u00eb'],
  );
  assert.deepEqual(
    windows.quotes.map((q) => q.speaker),
    ['Zo\u00eb', '\u0141ukasz', 'Zo\u00eb'],
  );
  assert.equal(windows.structure.paragraphs.length, 3);
});

test('an HTML horizontal rule breaks scenes', () => {
  const html = '<p>Ann left.</p><p>She ran.</p><hr><p>Morning came.</p><p>Ann woke.</p>';
  const a = analyzeText(html);
  assert.equal(a.scenes.length, 2);
  assert.ok(html.slice(a.scenes[1]!.start).startsWith('Morning came.'));
});
