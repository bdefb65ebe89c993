import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeSpeakers, SIEVES, type SieveName } from './speakers.ts';
import { buildSpeakerContext } from './speakers.test-helpers.ts';

function speakers(text: string, disabled: SieveName[] = []): (string | null)[] {
  const ctx = buildSpeakerContext(text);
  return attributeSpeakers(ctx, { disabled: new Set(disabled) }).map((a) =>
    a.speaker >= 0 ? `${ctx.characters[a.speaker]!.name} ${a.method}` : null,
  );
}

test('alternation: unattributed turns alternate from the nearest attributed one', () => {
  const text = ['"Where were you?" asked Nora.', '"Out," said Max.', '"Out where?"', '"Just out."'].join('\n\n');
  assert.deepEqual(speakers(text), ['Nora explicit', 'Max explicit', 'Nora turn-taking', 'Max turn-taking']);
  assert.deepEqual(speakers(text, ['alternation', 'other-participant', 'context']), ['Nora explicit', 'Max explicit', null, null]);
});

test('vocative: the person the turn before called by name speaks next', () => {
  const text = ['Nora watched Max pace the room. Max stopped.', '"Max, sit down." Nora pointed at the chair.', '"Fine."'].join('\n\n');
  assert.deepEqual(speakers(text), ['Nora beat', 'Max vocative']);
});

test('same-turn: one speaker a turn, so an attribution names every quotation of its paragraph', () => {
  const text = ['Nora and Max stood by the door.', '"We should go," said Max. "It is late."'].join('\n\n');
  assert.deepEqual(speakers(text), ['Max explicit', 'Max paragraph']);
  assert.deepEqual(speakers(text, ['same-turn', 'other-participant']), ['Max explicit', null]);
});

test('with every sieve switched off no quotation gets a speaker', () => {
  const text = ['"Where were you?" asked Nora.', '"Out," said Max.'].join('\n\n');
  assert.deepEqual(speakers(text, [...SIEVES]), [null, null]);
});

test('a speaker who turns to someone has left the one called before: "turning to me" hands the next turn to the narrator', () => {
  const text = [
    'Peleg sat at the table, and Bildad read his book.',
    '"What lay does he want?" groaned Bildad.',
    '"Never mind that, Bildad," said Peleg. "Has he ever whaled it any?" turning to me.',
    '"More whales than I can count."',
  ].join('\n\n');
  const ctx = buildSpeakerContext(text);
  const last = attributeSpeakers(ctx).at(-1)!;
  assert.equal(last.key, 'narrator', `${last.key} ${last.method}`);
});

test("asking someone's name is not calling them: the answer is not the one called earlier in the turn", () => {
  const text = [
    'Max and Nora walked past the stranger. Nora looked back.',
    '"Good morning," said the stranger.',
    '"Come along, Nora," said Max. "But stop, tell me your name, will you?"',
    '"Elijah."',
  ].join('\n\n');
  assert.notEqual(speakers(text).at(-1), 'Nora vocative');
});
