import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExchangeSettingsSchema, promptsToFields, readPrompts, splitTags, toExchangeDefinition } from './exchanges.schema.ts';

const form = (overrides: Record<string, string> = {}) => ({
  opens_at: '2030-01-01T00:00',
  closes_at: '2030-01-08T00:00',
  requests_min: '1',
  requests_max: '2',
  offers_min: '1',
  offers_max: '3',
  required_request_matches: '1',
  tags_fandom: 'A, B ,, a',
  required_fandom: '1',
  min_fandom: '1',
  max_fandom: '1',
  tags_character: 'X',
  required_character: '0',
  min_character: '0',
  max_character: '2',
  any_character: '1',
  required_relationship: '0',
  min_relationship: '0',
  max_relationship: '0',
  required_freeform: '0',
  min_freeform: '0',
  max_freeform: '0',
  ...overrides,
});

describe('exchange forms', () => {
  it('reads the settings into the matcher’s rules and tag set, leaving unused types out', () => {
    const parsed = ExchangeSettingsSchema.parse(form());
    const { rules, tagSet, opensAt } = toExchangeDefinition(parsed);
    assert.deepEqual(tagSet, { fandom: ['A', 'B'], character: ['X'] });
    assert.deepEqual(rules.tagTypes.character, { required: 0, allowAny: true, min: 0, max: 2 });
    assert.deepEqual(Object.keys(rules.tagTypes).sort(), ['character', 'fandom']);
    assert.deepEqual(rules.offers, { min: 1, max: 3 });
    assert.equal(opensAt.toISOString(), '2030-01-01T00:00:00.000Z');
  });

  it('refuses settings where nothing must match, a type required without tags, or bad numbers, each at its field', () => {
    const none = ExchangeSettingsSchema.safeParse(form({ required_fandom: '0' }));
    assert.equal(none.success, false);
    assert.match(JSON.stringify(none.error?.issues), /Require at least one matching tag/);
    const missing = ExchangeSettingsSchema.safeParse(form({ required_relationship: '1' }));
    assert.deepEqual(
      missing.error?.issues.map((i) => i.path[0]),
      ['tags_relationship'],
    );
    const numbers = ExchangeSettingsSchema.safeParse(form({ max_character: '-1', requests_min: 'x' }));
    assert.deepEqual(numbers.error?.issues.map((i) => i.path[0]).sort(), ['max_character', 'requests_min']);
  });

  it('reads prompts, skipping blank slots, and writes them back as the form’s fields', () => {
    const rules = toExchangeDefinition(ExchangeSettingsSchema.parse(form())).rules;
    const body = { request_1_fandom: 'A', request_2_fandom: ' ', request_2_character: '', offer_2_fandom: 'B', offer_2_character_any: '1' };
    const requests = readPrompts(body, rules, 'request');
    const offers = readPrompts(body, rules, 'offer');
    assert.deepEqual(requests, [{ tags: { fandom: ['A'] } }]);
    assert.deepEqual(offers, [{ tags: { fandom: ['B'] }, any: ['character'] }]);
    assert.deepEqual(promptsToFields(offers, 'offer'), { offer_1_fandom: 'B', offer_1_character_any: '1' });
    assert.deepEqual(splitTags(' a,  b  c ,A'), ['a', 'b c']);
  });
});
