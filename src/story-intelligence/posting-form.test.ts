import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyProposalToForm } from './posting-form.tsx';
import { parseProposalToken } from './story-intelligence.schema.ts';

describe('accepting a proposal on the posting form', () => {
  const values = {
    fields: { relationships: 'A/B', rating: 'General Audiences', title: 'T' },
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
  };

  it('puts the tag into its field once, keeping the rest', () => {
    const once = applyProposalToForm(values, { kind: 'relationship', value: 'Ann & Cy' });
    assert.equal(once.fields.relationships, 'A/B, Ann & Cy');
    assert.equal(applyProposalToForm(once, { kind: 'relationship', value: 'ann & cy' }).fields.relationships, 'A/B, Ann & Cy');
    assert.equal(applyProposalToForm(values, { kind: 'fandom', value: 'Show' }).fields.fandoms, 'Show');
    assert.equal(once.fields.title, 'T');
    assert.deepEqual(once.categories, ['Gen']);
  });

  it('replaces the rating, and "No Archive Warnings Apply" by a warning', () => {
    assert.equal(applyProposalToForm(values, { kind: 'rating', value: 'Mature' }).fields.rating, 'Mature');
    assert.deepEqual(applyProposalToForm(values, { kind: 'warning', value: 'Major Character Death' }).warnings, ['Major Character Death']);
  });

  it('reads the accept token of the query string, refusing what is not a proposal', () => {
    assert.deepEqual(parseProposalToken('relationship:Ann/Cy'), { kind: 'relationship', value: 'Ann/Cy' });
    assert.deepEqual(parseProposalToken('character:Mr. Smith: Jr'), { kind: 'character', value: 'Mr. Smith: Jr' });
    assert.equal(parseProposalToken('rating:Very Spicy'), undefined);
    assert.equal(parseProposalToken('weapon:x'), undefined);
    assert.equal(parseProposalToken('character:<b>'), undefined);
    assert.equal(parseProposalToken(['character:A']), undefined);
    assert.equal(parseProposalToken(undefined), undefined);
  });
});
