import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { characterConfidence } from '../analysis/character-confidence.ts';
import { splitProposalGroups } from './story-intelligence.presenter.ts';
import { type Proposal, proposeCategory, SHOW_THRESHOLD, SHOW_THRESHOLD_PEOPLE } from './story-intelligence.service.ts';

const pair = (a: string, b: string, kind = 'romantic', confidence = 0.9) => ({
  a,
  b,
  kind,
  confidence,
  evidence: [{ chapterId: 1, position: 1, text: `${a} kissed ${b}.` }],
});
const genders: Record<string, string> = { Ann: 'female', Bea: 'female', Carl: 'male', Dev: 'male', Eli: 'unknown' };
const genderOf = (n: string) => genders[n] ?? 'unknown';

describe('proposeCategory', () => {
  it('names the kind of the romantic pairs: F/M, F/F, M/M', () => {
    assert.equal(proposeCategory([pair('Ann', 'Carl')], genderOf, 2)?.value, 'F/M');
    assert.equal(proposeCategory([pair('Carl', 'Ann')], genderOf, 2)?.value, 'F/M', 'order does not matter');
    assert.equal(proposeCategory([pair('Ann', 'Bea')], genderOf, 2)?.value, 'F/F');
    assert.equal(proposeCategory([pair('Carl', 'Dev')], genderOf, 2)?.value, 'M/M');
  });

  it('says Multi for several kinds, with the passages of the pairs', () => {
    const c = proposeCategory([pair('Ann', 'Carl'), pair('Bea', 'Ann'), pair('Ann', 'Dev', 'friendship')], genderOf, 4);
    assert.equal(c?.value, 'Multi');
    assert.equal(c?.evidence.length, 2);
    assert.match(c!.note, /Ann \(f\) \/ Carl \(m\)/);
  });

  it('proposes Gen only when there are characters and no romance at all', () => {
    const gen = proposeCategory([pair('Ann', 'Bea', 'friendship')], genderOf, 2, { language: 'en', words: 3000 });
    assert.equal(gen?.value, 'Gen');
    assert.deepEqual(gen?.evidence, []);
    assert.ok(gen!.confidence >= SHOW_THRESHOLD);
    // A short text may not have got to its romance: Gen, but less certain.
    const short = proposeCategory([], genderOf, 2, { language: 'en', words: 150 });
    assert.equal(short?.value, 'Gen');
    assert.ok(short!.confidence < SHOW_THRESHOLD);
    // Romance is read from English cues: another language without romance says nothing about Gen.
    assert.equal(proposeCategory([], genderOf, 2, { language: 'de', words: 3000 }), undefined);
    assert.equal(proposeCategory([], genderOf, 0), undefined, 'no characters: nothing');
    // A faint romantic pair keeps Gen away without being enough for F/M.
    assert.equal(proposeCategory([pair('Ann', 'Carl', 'romantic', 0.3)], genderOf, 2), undefined);
  });

  it('says nothing from a pair of unknown gender, and is less sure beside one', () => {
    assert.equal(proposeCategory([pair('Ann', 'Eli')], genderOf, 2), undefined);
    const sure = proposeCategory([pair('Ann', 'Carl')], genderOf, 3)!;
    const mixed = proposeCategory([pair('Ann', 'Carl'), pair('Bea', 'Eli')], genderOf, 3)!;
    assert.equal(mixed.value, 'F/M');
    assert.ok(mixed.confidence < sure.confidence);
    assert.ok(sure.confidence >= SHOW_THRESHOLD);
  });
});

describe('confidence and what is shown', () => {
  it('trusts names the story uses often more than names seen once', () => {
    // In a novel's 2,000 words a name seen twice is often no person; in a 150-word drabble it is.
    assert.ok(characterConfidence(2, 2000) < SHOW_THRESHOLD_PEOPLE);
    assert.ok(characterConfidence(2, 150) >= SHOW_THRESHOLD_PEOPLE);
    assert.ok(characterConfidence(40, 2000) > characterConfidence(3, 2000));
  });

  it('trusts a name that speaks: its attributed quotations count beside its mentions', () => {
    // A novel's speaker named 5 times in 2,000 words but given 12 lines is a person.
    assert.ok(characterConfidence(5, 2000) < SHOW_THRESHOLD_PEOPLE);
    assert.ok(characterConfidence(5, 2000, 12) >= SHOW_THRESHOLD_PEOPLE);
  });

  it('trusts a named person in a long work though their density is low', () => {
    // 60 mentions in a 100,000-word work is 0.6 a thousand words; with a gender the text shows, a person
    assert.ok(characterConfidence(60, 100_000, 0, false, true) >= SHOW_THRESHOLD_PEOPLE);
    // a place named as often never gets a he or a she
    assert.ok(characterConfidence(60, 100_000, 0, false, false) < SHOW_THRESHOLD_PEOPLE);
    assert.ok(characterConfidence(6, 100_000, 0, false, true) < SHOW_THRESHOLD_PEOPLE);
  });

  it('shows proposals at the threshold and keeps the rest for the disclosure', () => {
    const p = (value: string, confidence: number): Proposal => ({ kind: 'character', value, note: 'n', confidence, evidence: [] });
    const { groups, lessCertain } = splitProposalGroups(
      [p('Ann', 0.9), p('Snow', 0.45), p('Carl', SHOW_THRESHOLD_PEOPLE), p('Dee', SHOW_THRESHOLD)],
      undefined,
      false,
    );
    assert.deepEqual(
      groups.flatMap((g) => g.proposals.map((x) => x.value)),
      ['Ann', 'Carl'],
    );
    assert.deepEqual(
      lessCertain.flatMap((g) => g.proposals.map((x) => x.value)),
      ['Snow', 'Dee'],
    );
    assert.match(groups[0]!.proposals[0]!.note, /90% sure/);
  });
});
