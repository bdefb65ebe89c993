import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inputTime, ScheduleSchema } from './scheduling.schema.ts';

const parse = (post_at: unknown) => ScheduleSchema.safeParse({ post_at });

describe('the post-at field', () => {
  it('reads a datetime-local value as UTC, with or without seconds', () => {
    assert.equal(parse('2030-01-31T18:00').data?.post_at.toISOString(), '2030-01-31T18:00:00.000Z');
    assert.equal(parse(' 2030-01-31T18:00:30 ').data?.post_at.toISOString(), '2030-01-31T18:00:30.000Z');
    assert.equal(inputTime(new Date('2030-01-31T18:00:30Z')), '2030-01-31T18:00');
  });

  it('refuses dates the calendar lacks instead of rolling them over to the next day', () => {
    for (const value of ['2030-04-31T10:00', '2031-02-29T10:00', '2030-01-01T24:00', '2030-01-32T10:00', '2030-01-01T10:00:60']) {
      assert.deepEqual(
        parse(value).error?.issues.map((i) => i.message),
        ['That is not a real date.'],
        value,
      );
    }
    assert.equal(parse('2032-02-29T10:00').success, true, 'a leap day is real');
  });

  it('says how to write it when it is not a date and time at all', () => {
    for (const value of ['', 'next tuesday', '2030-01-31', 7]) assert.equal(parse(value).success, false, String(value));
    assert.equal(parse('tomorrow').error?.issues[0]?.message, 'Enter the date and time like 2030-01-31T18:00.');
  });
});
