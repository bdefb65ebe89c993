import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRelationshipName, toSortableName } from './relationship-names.ts';

describe('parseRelationshipName', () => {
  it('splits romantic and platonic pairings', () => {
    assert.deepEqual(parseRelationshipName('Caroline Forbes/Stefan Salvatore'), ['Caroline Forbes', 'Stefan Salvatore']);
    assert.deepEqual(parseRelationshipName('Bonnie Bennett & Elena Gilbert'), ['Bonnie Bennett', 'Elena Gilbert']);
    assert.deepEqual(parseRelationshipName(' A / B / C '), ['A', 'B', 'C']);
  });
  it('keeps ampersands inside names when the pairing is romantic', () => {
    assert.deepEqual(parseRelationshipName('Tom & Jerry (Cartoon)/Spike'), ['Tom & Jerry (Cartoon)', 'Spike']);
  });
  it('gives nothing for a tag that is not a pairing', () => {
    assert.deepEqual(parseRelationshipName('Fluff'), []);
    assert.deepEqual(parseRelationshipName('Rock&Roll'), []);
    assert.deepEqual(parseRelationshipName('A/'), []);
    assert.deepEqual(parseRelationshipName('/'), []);
    assert.deepEqual(parseRelationshipName('Self/self'), []);
  });
  it('collapses whitespace and drops repeated members', () => {
    assert.deepEqual(parseRelationshipName('Jim   Kirk/Spock/jim kirk'), ['Jim Kirk', 'Spock']);
  });
});

describe('toSortableName', () => {
  it('drops a leading article', () => {
    assert.equal(toSortableName('The Vampire Diaries'), 'vampire diaries');
    assert.equal(toSortableName('Theater'), 'theater');
  });
});
