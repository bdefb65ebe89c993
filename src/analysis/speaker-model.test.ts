import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SPEAKER_FEATURES, type SpeakerCandidate, type SpeakerModel } from './speaker-model.ts';
import { attributeSpeakers, type Attribution } from './speakers.ts';
import { buildSpeakerContext } from './speakers.test-helpers.ts';

const TEXT = [
  'Nora and Max sat in the kitchen. Max poured the coffee.',
  '"Where were you?" asked Nora.',
  '"Out," said Max.',
  '"Out where?"',
].join('\n\n');

function inspect(text: string): { candidates: (SpeakerCandidate[] | null)[]; rules: readonly Attribution[]; names: string[] } {
  const ctx = buildSpeakerContext(text);
  let candidates: (SpeakerCandidate[] | null)[] = [];
  let rules: readonly Attribution[] = [];
  attributeSpeakers(ctx, {
    inspect: (c, r) => {
      candidates = c;
      rules = r;
    },
  });
  return { candidates, rules, names: ctx.characters.map((c) => c.name) };
}

test('only anaphoric and implicit quotations get candidates; named explicit attributions stay with the rules', () => {
  const { candidates } = inspect(TEXT);
  assert.equal(candidates[0], null);
  assert.equal(candidates[1], null);
  assert.ok(candidates[2] !== null && candidates[2]!.length >= 2);
});

test('the rules\u2019 choice is marked and the turn two back is seen', () => {
  const { candidates, names } = inspect(TEXT);
  const list = candidates[2]!;
  const rule = list.find((c) => c.rule)!;
  assert.equal(names[rule.character], 'Nora');
  assert.equal(rule.x[SPEAKER_FEATURES.indexOf('rule')], 1);
  assert.equal(rule.x[SPEAKER_FEATURES.indexOf('speaker-turn-2')], 1);
  const max = list.find((c) => names[c.character] === 'Max')!;
  assert.equal(max.x[SPEAKER_FEATURES.indexOf('speaker-turn-1')], 1);
});

test('a model decides where it scores another candidate higher, and says so', () => {
  const weights = SPEAKER_FEATURES.map((f) => (f === 'speaker-turn-1' ? 5 : 0));
  const model: SpeakerModel = { features: SPEAKER_FEATURES, weights };
  const ctx = buildSpeakerContext(TEXT);
  const a = attributeSpeakers(ctx, { model });
  assert.equal(ctx.characters[a[2]!.speaker]!.name, 'Max');
  assert.equal(a[2]!.method, 'model');
  assert.ok(a[2]!.confidence > 0 && a[2]!.confidence <= 0.9);
  assert.equal(ctx.characters[a[1]!.speaker]!.name, 'Max', 'explicit attributions are left alone');
});

test('the shipped weights name the features in the order the code reads them', () => {
  const shipped = JSON.parse(readFileSync(new URL('./speaker-model.weights.json', import.meta.url), 'utf8')) as SpeakerModel;
  assert.deepEqual(shipped.features, [...SPEAKER_FEATURES]);
  assert.equal(shipped.weights.length, SPEAKER_FEATURES.length);
});
