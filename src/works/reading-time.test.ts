import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReadingTime } from './reading-time.ts';

describe('formatReadingTime', () => {
  it('says nothing for an empty work and "under 1 min" for a drabble', () => {
    assert.equal(formatReadingTime(0), null);
    assert.equal(formatReadingTime(100), 'under 1 min');
    assert.equal(formatReadingTime(249), 'under 1 min');
  });

  it('rounds to the minute under an hour', () => {
    assert.equal(formatReadingTime(250), '1 min');
    assert.equal(formatReadingTime(1600), '6 min');
    assert.equal(formatReadingTime(14_874), '59 min');
    assert.equal(formatReadingTime(14_875), '1 h');
  });

  it('rounds to five minutes under ten hours and to the hour beyond', () => {
    assert.equal(formatReadingTime(250 * 93), '1 h 35 min');
    assert.equal(formatReadingTime(250 * 119), '2 h');
    assert.equal(formatReadingTime(250 * 599), '10 h');
    assert.equal(formatReadingTime(600_000), '40 h');
  });
});
