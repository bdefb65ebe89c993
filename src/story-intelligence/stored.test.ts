import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../analysis/index.ts';
import { firstWords, mergeChapterAnalyses, parseStoredAnalysis, STORED_VERSION, toStoredAnalysis, type StoredAnalysis } from './stored.ts';

function chapter(overrides: Partial<StoredAnalysis>): StoredAnalysis {
  return {
    version: STORED_VERSION,
    textLength: 1000,
    words: 200,
    quoteCount: 0,
    characters: [],
    relationships: [],
    talks: [],
    scenes: [],
    arc: [],
    turningPoints: [],
    rating: { value: 'General Audiences', confidence: 0.5, evidence: [] },
    warnings: [],
    language: 'en',
    additionalTags: [],
    ...overrides,
  };
}
const ev = (text: string) => ({ start: 0, end: text.length, text });

describe('toStoredAnalysis', () => {
  it('keeps characters with the sentences of their first mentions, talks, scenes with first words', () => {
    const text = [
      'Hester Quill walked into the library. The shelves were dusty.',
      '"Good morning," Hester said to Owen.',
      '"Morning, Hester," Owen said.',
      '***',
      'Later that night Owen found the letter Hester had hidden in the atlas.',
    ].join('\n\n');
    const stored = toStoredAnalysis(text, analyzeText(text));
    assert.equal(stored.version, STORED_VERSION);
    assert.equal(stored.textLength, text.length);
    const hester = stored.characters.find((c) => c.name.startsWith('Hester'));
    assert.ok(hester, JSON.stringify(stored.characters));
    assert.ok(hester.evidence.length >= 1);
    for (const e of hester.evidence) assert.equal(text.slice(e.start, e.end).replace(/\s+/g, ' ').trim(), e.text);
    assert.ok(stored.scenes.length >= 2);
    assert.ok(stored.scenes.every((s) => text.slice(s.start, s.end).replace(/\s+/g, ' ').trim().startsWith(s.excerpt.replace(/…$/, ''))));
    assert.equal(stored.quoteCount, 2);
    assert.ok(!('structure' in stored), 'the token arrays are not stored');
    assert.deepEqual(parseStoredAnalysis(JSON.parse(JSON.stringify(stored))), stored);
  });

  it('cuts first words with an ellipsis', () => {
    assert.equal(firstWords('one two three', 2), 'one two…');
    assert.equal(firstWords('  one\n two ', 5), 'one two');
  });

  it('reads back only its own version', () => {
    assert.equal(parseStoredAnalysis({ version: STORED_VERSION + 1 }), undefined);
    assert.equal(parseStoredAnalysis(null), undefined);
  });
});

describe('mergeChapterAnalyses', () => {
  it('merges characters by name, relationships by tag, the most severe rating and the union of warnings', () => {
    const one = chapter({
      words: 100,
      textLength: 500,
      characters: [
        { name: 'Ada', aliases: ['Ada King'], mentions: 10, gender: 'female', role: 'supporting', evidence: [ev('Ada arrived.')] },
      ],
      relationships: [{ a: 'Ada', b: 'Ben', kind: 'friendship', strength: 1, tag: 'Ada & Ben', evidence: [ev('Ada met Ben.')] }],
      rating: { value: 'Teen And Up Audiences', confidence: 0.6, evidence: [ev('A fight.')] },
      warnings: [{ value: 'No Archive Warnings Apply', confidence: 0.5, evidence: [] }],
      arc: [
        { offset: 0, valence: 0.5 },
        { offset: 500, valence: 0.1 },
      ],
      turningPoints: [1],
      scenes: [{ start: 0, end: 500, reason: 'start', excerpt: 'Ada arrived…' }],
    });
    const two = chapter({
      words: 300,
      textLength: 1500,
      characters: [
        { name: 'Ada', aliases: ['Lady Ada'], mentions: 5, gender: 'unknown', role: 'protagonist', evidence: [] },
        { name: 'Ben', aliases: [], mentions: 7, gender: 'male', role: 'supporting', evidence: [] },
      ],
      relationships: [
        { a: 'Ada', b: 'Ben', kind: 'friendship', strength: 0.5, tag: 'Ada & Ben', evidence: [ev('Ada laughed with Ben.')] },
        { a: 'Ben', b: 'Cy', kind: 'conflict', strength: 1, tag: 'Ben & Cy', evidence: [] },
      ],
      rating: { value: 'Mature', confidence: 0.7, evidence: [ev('Blood everywhere.')] },
      warnings: [{ value: 'Major Character Death', confidence: 0.8, evidence: [ev('Cy died.')] }],
      arc: [{ offset: 0, valence: -0.5 }],
    });
    const w = mergeChapterAnalyses([
      { chapterId: 11, position: 1, analysis: one },
      { chapterId: 12, position: 2, analysis: two },
      { chapterId: 13, position: 3, analysis: undefined },
    ]);
    assert.equal(w.complete, false);
    assert.equal(w.analysedChapters, 2);
    assert.equal(w.words, 400);
    const ada = w.characters.find((c) => c.name === 'Ada')!;
    assert.equal(ada.mentions, 15);
    assert.deepEqual(ada.aliases, ['Ada King', 'Lady Ada']);
    assert.equal(ada.gender, 'female');
    assert.equal(ada.role, 'protagonist');
    assert.deepEqual(ada.evidence, [{ chapterId: 11, position: 1, text: 'Ada arrived.' }]);
    // Ada & Ben: 1×100 + 0.5×300 = 250; Ben & Cy: 1×300 = 300 → relative to the strongest.
    assert.deepEqual(
      w.relationships.map((r) => [r.tag, r.strength]),
      [
        ['Ben & Cy', 1],
        ['Ada & Ben', 0.83],
      ],
    );
    assert.deepEqual(
      w.relationships[1]!.evidence.map((e) => e.chapterId),
      [11, 12],
    );
    assert.equal(w.rating?.value, 'Mature');
    assert.deepEqual(w.rating?.evidence, [{ chapterId: 12, position: 2, text: 'Blood everywhere.' }]);
    assert.deepEqual(
      w.warnings.map((x) => x.value),
      ['Major Character Death'],
      'a real warning drops "No Archive Warnings Apply"',
    );
    assert.deepEqual(
      w.arc.map((p) => [p.x, p.valence, p.turning]),
      [
        [0, 0.5, false],
        [0.25, 0.1, true],
        [0.25, -0.5, false],
      ],
    );
    assert.deepEqual(w.chapterStarts, [
      { position: 1, x: 0 },
      { position: 2, x: 0.25 },
    ]);
    assert.deepEqual(w.scenes, [{ chapterId: 11, position: 1, index: 0, excerpt: 'Ada arrived…' }]);
  });

  it('is complete only when every chapter is analysed, and empty without chapters', () => {
    assert.equal(mergeChapterAnalyses([]).complete, false);
    assert.equal(mergeChapterAnalyses([{ chapterId: 1, position: 1, analysis: chapter({}) }]).complete, true);
    assert.equal(mergeChapterAnalyses([{ chapterId: 1, position: 1, analysis: undefined }]).rating, undefined);
  });
});
