import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MARK_START as S, MARK_STOP as E } from './highlight.ts';
import { toExcerpt } from './search.service.ts';

describe('search excerpts', () => {
  it('starts a fragment at the last sentence before its first match', () => {
    assert.equal(toExcerpt(`of parchment. The ${S}moonlit${E} library smelled of old`), `The ${S}moonlit${E} library smelled of old…`);
  });

  it('says with an ellipsis where a fragment was cut mid-sentence, at both ends', () => {
    assert.equal(
      toExcerpt(`smelled of ${S}vampire${E} stories and more … Once upon a ${S}time${E}.`),
      `…smelled of ${S}vampire${E} stories and more… Once upon a ${S}time${E}.`,
    );
  });

  it('leaves a whole sentence as it is', () => {
    assert.equal(toExcerpt(`${S}Vampire${E} stories.`), `${S}Vampire${E} stories.`);
    assert.equal(toExcerpt('“Run,” she said.'), '“Run,” she said.');
  });
});
