import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeSpeakers, type SieveName } from './speakers.ts';
import { buildSpeakerContext } from './speakers.test-helpers.ts';

/** Speakers and methods with only the named sieves switched on. */
function only(text: string, sieves: SieveName[]): string[] {
  const ctx = buildSpeakerContext(text);
  const all: SieveName[] = [
    'chat-line',
    'interrupted',
    'explicit-after',
    'explicit-before',
    'other-man',
    'called-answers',
    'told-answers',
    'beat-after',
    'beat-before',
    'same-turn',
    'continuation',
    'vocative',
    'alternation',
    'other-participant',
    'context',
  ];
  const disabled = new Set(all.filter((s) => !sieves.includes(s)));
  return attributeSpeakers(ctx, { disabled }).map((a) =>
    a.speaker >= 0 ? `${ctx.characters[a.speaker]!.name} ${a.method}` : `${a.key ?? '-'} ${a.method}`,
  );
}

const SCENE = 'Nora looked up. Max sat down.';

test('explicit-after: "said X" and "X asked" after the quotation', () => {
  const text = [SCENE, '"Coffee?" said Nora.', '"Sugar?" Max asked.'].join('\n\n');
  assert.deepEqual(only(text, ['explicit-after']), ['Nora explicit', 'Max explicit']);
});

test('explicit-after: older and rarer speech verbs ("quoth", "expostulated", "opined") attribute too', () => {
  const text = [SCENE, '"Coffee?" quoth Nora.', '"Never," Max expostulated.', '"Tea, then," opined Nora.'].join('\n\n');
  assert.deepEqual(only(text, ['explicit-after']), ['Nora explicit', 'Max explicit', 'Nora explicit']);
});

test('explicit-after: a participle takes no inverted subject ("whispering Max" whispers to him)', () => {
  const text = [SCENE, '"Is she mad?" whispering Max.'].join('\n\n');
  assert.deepEqual(only(text, ['explicit-after']), ['- none']);
});

test('explicit-before: "X said," before the quotation, and nothing from the after-sieve', () => {
  const text = [SCENE, 'Max said, "Please."', '"Coffee?" said Nora.'].join('\n\n');
  assert.deepEqual(only(text, ['explicit-before']), ['Max explicit', '- none']);
});

test('interrupted: a quotation broken by its attribution goes on in the same voice', () => {
  const text = [SCENE, '"Well," said Nora, "perhaps not." Max frowned.'].join('\n\n');
  assert.deepEqual(only(text, ['explicit-after', 'interrupted']), ['Nora explicit', 'Nora explicit']);
  assert.deepEqual(only(text, ['explicit-after']), ['Nora explicit', '- none']);
});

test('beat-after and beat-before: the subject of the narration next to the quotation', () => {
  const text = [SCENE, '"We should go." Max opened the door.', 'Nora frowned. "In this rain?"'].join('\n\n');
  assert.deepEqual(only(text, ['beat-after']), ['Max beat', '- none']);
  assert.deepEqual(only(text, ['beat-before']), ['- none', 'Nora beat']);
});

test("beat-before: a sentence whose opening names no one speaks through its last clause's subject", () => {
  const text = [SCENE, 'Downstairs the front door banged, and Nora\'s voice floated up the stairs. "Boys!"'].join('\n\n');
  assert.deepEqual(only(text, ['beat-before']), ['Nora beat']);
});

test('beat-after: a sentence that opens with "And" before a titled name ("And Mme. Defarge turned away") is hers', () => {
  const text = ['Mme. Defarge and Dr. Brown were in the room.', '"Never!" And Mme. Defarge turned away.'].join('\n\n');
  assert.deepEqual(only(text, ['beat-after']), ['Mme. Defarge beat']);
});

test('beat-before: a description with its name ("Max\'s friend Nora", "her brother Max") is that name', () => {
  const text = [SCENE, 'Max\'s friend Nora came up the path. "Are you coming?"', 'Her brother Max stood up. "Of course."'].join('\n\n');
  assert.deepEqual(only(text, ['beat-before']), ['Nora beat', 'Max beat']);
});

test('beat-before: a sentence that opens with a time ("Later that week Nora called.") is its subject\'s', () => {
  const text = [SCENE, 'Later that week Nora called. "Is Max at home?"', 'That dog bit Max again. "Ow!"'].join('\n\n');
  // "That dog" is no time: Max, bitten, is not the one who speaks for it
  assert.deepEqual(only(text, ['beat-before']), ['Nora beat', '- none']);
});

test('chat-line: the handle written before the line', () => {
  const text = ['[21:04] kat_wolfe: are u still up', '[21:05] max: yeah', '[21:05] kat_wolfe: same'].join('\n');
  assert.deepEqual(only(text, ['chat-line']), ['kat_wolfe explicit', 'max explicit', 'kat_wolfe explicit']);
});

test('other-man: a pronoun beat right after a new turn\'s quotation is the other man, as "he said" is', () => {
  const text = ['Jonah and Theo stood by the oven.', '"They\'re for the café," said Theo.', '"Right." He took one anyway.'].join('\n\n');
  assert.deepEqual(only(text, ['explicit-after', 'other-man', 'beat-after']), ['Theo explicit', 'Jonah beat']);
  assert.deepEqual(only(text, ['explicit-after', 'beat-after']), ['Theo explicit', 'Theo beat']);
});

test('other-man: a turn told in the narration ("Max replied that he had not") is the turn before', () => {
  const text = [
    'Nora and Ada sat by the fire. Max came in.',
    '"Have you heard the news?" asked Nora.',
    'Max replied that he had not.',
    '"But it is true," returned she.',
  ].join('\n\n');
  // without the told turn, "she" on a new turn is the other woman of the scene
  assert.deepEqual(only(text, ['explicit-after', 'other-man']), ['Nora explicit', 'Nora explicit']);
  const told = ['Nora and Ada sat by the fire. Max came in.', '"Have you heard the news?" asked Nora.', '"But it is true," returned she.'];
  assert.deepEqual(only(told.join('\n\n'), ['explicit-after', 'other-man']), ['Nora explicit', 'Ada explicit']);
});

test('beat-before: a beat the quotation before already read speaks for the next one too', () => {
  const text = [
    'Jonah and Theo stood by the oven.',
    '"They\'re for the café," said Theo.',
    '"Right." He took one anyway. "Listen, I can\'t."',
  ].join('\n\n');
  assert.deepEqual(only(text, ['explicit-after', 'other-man', 'beat-after', 'beat-before']), ['Theo explicit', 'Jonah beat', 'Jonah beat']);
});

test('called-answers: "said she" with no woman in the narration is the woman the turn before called by name', () => {
  const text = [
    'Robert laughed at me across the table.',
    '"Really, Rose," said Robert, "he is hopeless."',
    '"To a man of spirit, my dear Rose," I answered, "opportunities are duties."',
    '"Nonsense!" said she.',
  ].join('\n\n');
  const sieves: SieveName[] = ['explicit-after', 'interrupted'];
  assert.equal(only(text, [...sieves, 'called-answers'])[4], 'Rose explicit');
  assert.equal(only(text, sieves)[4], 'p:she explicit');
  // a woman the narration names is still the usual antecedent
  const named = text.replace('Robert laughed at me', 'Robert and Ann laughed at me');
  assert.equal(only(named, [...sieves, 'called-answers'])[4], 'Ann explicit');
});

test('"said he to Temple" is not Temple speaking, and Temple is the one spoken to', () => {
  const text = [
    'Mr. Temple and Captain Eldridge had sat together all evening. Temple rose to leave.',
    '“This is a strange place,” said he to Temple, “to receive visitors in.”',
  ].join('\n\n');
  const ctx = buildSpeakerContext(text);
  const [first] = attributeSpeakers(ctx);
  assert.equal(ctx.characters[first!.speaker]?.name, 'Captain Eldridge');
  assert.equal(ctx.characters[first!.addressee]?.name, 'Mr. Temple');
});

test('told-answers: the one a speaker talks to ("asked Mrs. Jennings of Edward", "said Ann to Tom") answers next', () => {
  const lines = [
    'Mrs. Dashwood, Mrs. Jennings and Edward sat in the parlour.',
    '"You are always welcome," said Mrs. Dashwood.',
    '"How does your mother do?" asked Mrs. Jennings of Edward.',
    '"Very well, I thank you."',
  ];
  const sieves: SieveName[] = ['explicit-after', 'vocative', 'alternation'];
  assert.equal(only(lines.join('\n\n'), [...sieves, 'told-answers'])[2], 'Edward vocative');
  assert.equal(only(lines.join('\n\n'), sieves)[2], 'Mrs. Dashwood turn-taking');
  lines[2] = '"How does your mother do?" said Mrs. Jennings to Edward.';
  assert.equal(only(lines.join('\n\n'), [...sieves, 'told-answers'])[2], 'Edward vocative');
});
