import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from './index.ts';
import { createSpeakerState } from './speaker-coreference.ts';
import { tokens } from './speaker-text.ts';
import { buildSpeakerContext } from './speakers.test-helpers.ts';

function subjectOf(text: string, clause: string): string | null {
  const st = createSpeakerState(buildSpeakerContext(text));
  const at = text.lastIndexOf(clause);
  const s = st.leadingSubject(tokens(st.text, at, at + clause.length, 20), -1, true);
  if (s === null) return null;
  return s.character >= 0 ? st.characters[s.character]!.name : s.key.replace(/@\d+$/, '');
}

test('he and she resolve to the last character of that gender in narration', () => {
  const text = 'Nora and Max sat in the car. Max started the engine. He swore. Nora looked away. She sighed. He drove. She slept.';
  assert.equal(subjectOf(text, 'He drove.'), 'Max');
  assert.equal(subjectOf(text, 'She slept.'), 'Nora');
});

test('noun phrases are speakers of their own, and a possessed person is not the owner', () => {
  const text = 'Nora came home. Nora sat down. The old parson smiled. Nora\u2019s mother laughed.';
  assert.equal(subjectOf(text, 'The old parson smiled.'), 'n:parson');
  assert.equal(subjectOf(text, 'Nora\u2019s mother laughed.'), 'n:mother');
});

test('the main clause after a subordinate one holds the subject', () => {
  const text = 'Nora waited. Max waited. Because she was tired, Max opened the door.';
  assert.equal(subjectOf(text, 'Because she was tired, Max opened the door.'), 'Max');
});

test('the word lists are those of the text\u2019s language, carried in the state', () => {
  const de = createSpeakerState(buildSpeakerContext('Anna kam herein. Anna setzte sich.', 'de'));
  const en = createSpeakerState(buildSpeakerContext('Anna came in. Anna sat down.'));
  assert.ok(de.speechVerbs.has('sagte') && !de.speechVerbs.has('said'));
  assert.ok(en.speechVerbs.has('said') && !en.speechVerbs.has('sagte'));
  assert.equal(de.pronounGender.get('sie'), 'female');
});

test('a pronoun goes on with the subject of the sentence before, not a name that sentence only mentions', () => {
  const text =
    'Captain Peleg was now all alive. He seemed to do most of the talking and commanding, and not Mr. Bildad. Then he cried out. Mr. Bildad sat.';
  assert.equal(subjectOf(text, 'Then he cried out.'), 'Captain Peleg');
  // a sentence opened by a name does not move the pronoun off the nearer name: "with Jonah Pike, who"
  const other = 'Theo opened the door. Theo went out, and the wind came in with Jonah Pike, who was wet. He laughed.';
  assert.equal(subjectOf(other, 'He laughed.'), 'Jonah Pike');
});

test('after a subordinate clause opened by a skipped word ("As …,"), the main clause holds the subject', () => {
  const text = 'Ahab stood by the mast. Starbuck came aft. As the silent harpoon burned there, Starbuck grasped Ahab by the arm.';
  assert.equal(subjectOf(text, 'As the silent harpoon burned there, Starbuck grasped Ahab by the arm.'), 'Starbuck');
  const when = 'Nora waited. Max waited. When she came in, Max laughed.';
  assert.equal(subjectOf(when, 'When she came in, Max laughed.'), 'Max');
});

test('a hyphened compound\'s last word is the head: "the whale-surgeon" is a surgeon, "the one-armed captain" a captain', () => {
  const text = 'Ahab stood on deck. The whale-surgeon smiled. The one-armed captain laughed.';
  assert.equal(subjectOf(text, 'The whale-surgeon smiled.'), 'n:surgeon');
  assert.equal(subjectOf(text, 'The one-armed captain laughed.'), 'n:captain');
  const inLaw = 'Rose came in. My sister-in-law smiled.';
  assert.equal(subjectOf(inLaw, 'My sister-in-law smiled.'), 'n:sister');
});

/** The speakers the analysis gives the quotations of these paragraphs. */
const speakers = (paragraphs: string[]): (string | null)[] => analyzeText(paragraphs.join('\n\n')).quotes.map((q) => q.speaker);

test("a possessor is not who the next pronoun is when the sentence's named subject is of that gender", () => {
  const text = [
    'Harry and Draco sat at the table. Harry said nothing for a long time.',
    "Draco set his mug down, very carefully, and reached over and took Harry's hand.",
    '"If we\'re doing this," he said.',
  ];
  assert.deepEqual(speakers(text), ['Draco']);
});

test('a name in a clause of reasons is not who the next "he said" is; the sentence\'s subject is', () => {
  const text = [
    'Steve stood at the stove, frowning at a pan of pancakes.',
    "Behind him, the bedroom door creaked. Bucky shuffled out with the quilt round his shoulders, because he had slept on Steve's shoulder all night and Steve had not once complained.",
    '"You\'re burning it," he said.',
  ];
  assert.deepEqual(speakers(text), ['Bucky']);
});
